// Following a container's CRI log file until the container exits, printing
// its output as it was written (stdout to stdout, stderr to stderr): what
// `cricketctl run` shows for a container that is not attached.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"

namespace cricket::cri::client {

struct FollowOptions {
  std::string path;  // the CRI log file (may not exist yet)
  // true once the container has exited (polled between reads).
  std::function<absl::StatusOr<bool>()> exited;
  int stdout_fd = 1;
  int stderr_fd = 2;
  int signal_fd = -1;  // readable: stop following (Cancelled)
};

// Returns when the container has exited and the file is read to its end.
absl::Status FollowCriLog(const FollowOptions& options);

}  // namespace cricket::cri::client
