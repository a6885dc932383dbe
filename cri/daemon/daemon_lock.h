// The one-daemon-per-node lock: an exclusive POSIX record lock on
// cricketd.lock in the state dir and in the root dir, taken before anything
// reads or repairs them.
// A second cricketd started by mistake on the same dirs (even on another
// socket) must refuse here: recovery would otherwise clean up, kill or mark
// exited the first daemon's live work. The kernel drops the lock when the
// process dies (kill -9 included), whatever its children still hold, so no
// stale lock survives a crash.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "conf/config.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri {

class DaemonLock {
 public:
  // FailedPrecondition naming the lock file and the holder's pid when another
  // process holds either lock. The files hold our pid once taken.
  static absl::StatusOr<std::unique_ptr<DaemonLock>> Acquire(const conf::Config& config);

 private:
  std::vector<sys::UniqueFd> fds_;  // O_CLOEXEC: monitors and infra do not inherit it
};

// "<dir>/cricketd.lock"
std::string LockPath(const std::string& dir);

}  // namespace cricket::cri
