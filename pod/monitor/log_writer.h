// The container's CRI log file as the monitor writes it: one O_APPEND fd,
// reopened on request (ReopenContainerLog after the kubelet rotated it).
// Bounded (issue 19): past runtime.log_size_max bytes, or after a write
// error such as ENOSPC, output is dropped (said once in the monitor's own
// log) until the next reopen starts a new file.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::pod::monitor {

class LogWriter {
 public:
  // max_bytes ≤ 0: no cap (CRI-O's log_size_max of -1).
  explicit LogWriter(std::string path, int64_t max_bytes = -1)
      : path_(std::move(path)), max_bytes_(max_bytes) {}
  // No-op when the path is empty (output is discarded). Writing resumes.
  absl::Status Open();
  absl::Status Reopen() { return Open(); }
  // Takes an fd Open() made in the process we were exec'd from.
  void Adopt(sys::UniqueFd fd);
  int fd() const { return fd_.get(); }
  int64_t max_bytes() const { return max_bytes_; }
  // Encodes one chunk read from `stream` ("stdout"/"stderr") and appends it,
  // whole lines only. Once the cap is reached or a write fails, drops
  // output until Reopen; says so once in the monitor's log and returns OK.
  void Write(std::string_view stream, std::string_view chunk);

 private:
  // Stops writing until Reopen, and says why (once: later chunks are dropped quietly).
  void Stop(std::string_view why, const std::string& error);
  // The file's size when opened or adopted: a reopened file the kubelet kept may hold bytes.
  void StartCounting();
  // Appends `out`, retrying short writes; a failure stops the writer.
  void WriteAll(std::string_view out);

  std::string path_;
  int64_t max_bytes_;
  int64_t written_ = 0;
  bool stopped_ = false;
  sys::UniqueFd fd_;
};

}  // namespace cricket::pod::monitor
