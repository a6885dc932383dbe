// The container's CRI log file as the monitor writes it: one O_APPEND fd,
// reopened on request (ReopenContainerLog after the kubelet rotated it).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::pod::monitor {

class LogWriter {
 public:
  explicit LogWriter(std::string path) : path_(std::move(path)) {}
  // No-op when the path is empty (output is discarded).
  absl::Status Open();
  absl::Status Reopen() { return Open(); }
  // Takes an fd Open() made in the process we were exec'd from.
  void Adopt(sys::UniqueFd fd) { fd_ = std::move(fd); }
  int fd() const { return fd_.get(); }
  // Encodes one chunk read from `stream` ("stdout"/"stderr") and appends it.
  absl::Status Write(std::string_view stream, std::string_view chunk);

 private:
  std::string path_;
  sys::UniqueFd fd_;
};

}  // namespace cricket::pod::monitor
