// clone3(2) wrapper. Only called from single-threaded processes (cricket-oci,
// cricket-monitor): the child may then allocate like any forked child.
#include "oci/linux/clone.h"

#include <linux/sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "oci/sys/status.h"

namespace cricket::oci::linux {

absl::StatusOr<Cloned> CloneProcess(uint64_t flags, const std::function<int()>& child) {
  int pidfd = -1;
  struct clone_args args;
  memset(&args, 0, sizeof args);
  args.flags = flags | CLONE_PIDFD;
  args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
  args.exit_signal = SIGCHLD;
  long ret = ::syscall(SYS_clone3, &args, sizeof args);
  if (ret < 0) return sys::ErrnoStatus(errno, "clone3 (flags %#x)", flags);
  if (ret == 0) {
    int code = child();
    _exit(code);
  }
  Cloned c;
  c.pid = static_cast<pid_t>(ret);
  c.pidfd.Reset(pidfd);
  return c;
}

}  // namespace cricket::oci::linux

namespace cricket::oci::linux {

absl::Status KillAndReap(pid_t pid, int pidfd) {
  int rc = pidfd >= 0
               ? static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, nullptr, 0))
               : ::kill(pid, SIGKILL);
  if (rc != 0 && errno != ESRCH) return sys::ErrnoStatus(errno, "kill init %d", pid);
  int status;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return sys::ErrnoStatus(errno, "reap init %d", pid);
  }
  return absl::OkStatus();
}

}  // namespace cricket::oci::linux
