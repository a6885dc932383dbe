// Reading a CRI log file as it grows, across rotations: the kubelet renames
// the file away and calls ReopenContainerLog, and the monitor makes a new one
// at the same path. The rest of the renamed file is read before the new one,
// so no line written around a rotation is lost; a file truncated in place
// (copytruncate) is read again from its start.
#pragma once

#include <sys/types.h>

#include <string>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri::client {

class LogFileTail {
 public:
  explicit LogFileTail(std::string path) : path_(std::move(path)) {}

  // Everything appended since the last call; "" while the path does not exist.
  absl::StatusOr<std::string> ReadMore();
  // A file has been opened (the path existed at some call).
  bool opened() const { return static_cast<bool>(fd_); }

 private:
  absl::Status OpenPath(bool* missing);
  absl::Status Drain(std::string& out);

  std::string path_;
  sys::UniqueFd fd_;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
};

}  // namespace cricket::cri::client
