// flock(2)-based exclusion between cricketd processes (see daemon_lock.h).
#include "cri/daemon/daemon_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fds.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

absl::StatusOr<sys::UniqueFd> LockOne(const std::string& dir) {
  const std::string path = LockPath(dir);
  ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) return sys::ErrnoStatus(errno, "lock %s", path);
    auto text = sys::ReadFile(path);
    std::string holder = text.ok() ? std::string(absl::StripAsciiWhitespace(*text)) : "";
    return absl::FailedPreconditionError(absl::StrCat(
        "another cricketd", holder.empty() ? "" : absl::StrCat(" (pid ", holder, ")"),
        " holds ", path, " and uses these dirs; refusing to start before touching anything: "
        "stop it first, or give this one its own root_dir and state_dir"));
  }
  // Our pid, for the message above; the lock itself is the flock, not the text.
  std::string pid = absl::StrCat(::getpid(), "\n");
  if (::ftruncate(fd.get(), 0) != 0 || ::pwrite(fd.get(), pid.data(), pid.size(), 0) < 0) {
    return sys::ErrnoStatus(errno, "write pid to %s", path);
  }
  return fd;
}

}  // namespace

std::string LockPath(const std::string& dir) { return dir + "/cricketd.lock"; }

absl::StatusOr<std::unique_ptr<DaemonLock>> DaemonLock::Acquire(const conf::Config& config) {
  auto lock = std::unique_ptr<DaemonLock>(new DaemonLock());
  for (const std::string& dir : {config.state_dir, config.root_dir}) {
    ASSIGN_OR_RETURN(sys::UniqueFd fd, LockOne(dir));
    lock->fds_.push_back(std::move(fd));
  }
  return lock;
}

}  // namespace cricket::cri
