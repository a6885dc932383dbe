// A runc-compatible runtime sends a pty master to a --console-socket *path*;
// cricket's callers hold a connected socket instead (a socketpair end, or
// cricketd's side of a streaming exec). The relay listens on a short path
// in a private temp dir (a bundle path may exceed sun_path's 108 bytes) and
// passes the master on.
#pragma once

#include <chrono>
#include <string>

#include "absl/status/statusor.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"

namespace cricket::pod::driver {

class ConsoleRelay {
 public:
  static absl::StatusOr<ConsoleRelay> Listen();
  const std::string& path() const { return path_; }
  // After the runtime returned: takes the master it sent and sends it on `to`.
  absl::Status Forward(int to, std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  sys::TempDir dir_;
  std::string path_;
  sys::UniqueFd listener_;
};

}  // namespace cricket::pod::driver
