// Record-lock-based exclusion between cricketd processes (see daemon_lock.h).
#include "cri/daemon/daemon_lock.h"

#include <fcntl.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

absl::StatusOr<sys::UniqueFd> LockOne(const std::string& dir) {
  const std::string path = LockPath(dir);
  ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600));
  // A POSIX record lock, not flock(2): it belongs to this process alone, so a
  // child forked but not yet exec'd when cricketd is killed (it shares the fd
  // until its exec closes it) cannot keep the restarted cricketd out. Such a
  // lock also drops when this process closes any fd of the file: nothing in
  // cricketd opens it again.
  struct flock fl = {};
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  if (::fcntl(fd.get(), F_SETLK, &fl) != 0) {
    if (errno != EACCES && errno != EAGAIN) return sys::ErrnoStatus(errno, "lock %s", path);
    struct flock holder = {};
    holder.l_type = F_WRLCK;
    holder.l_whence = SEEK_SET;
    bool known = ::fcntl(fd.get(), F_GETLK, &holder) == 0 && holder.l_type != F_UNLCK;
    return absl::FailedPreconditionError(absl::StrCat(
        "another cricketd", known ? absl::StrCat(" (pid ", holder.l_pid, ")") : "",
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
