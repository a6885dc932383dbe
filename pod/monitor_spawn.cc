// posix_spawn with file actions; every source fd is first copied above 10 so
// that no dup2 maps an fd onto itself (which would keep its FD_CLOEXEC).
#include "pod/monitor_spawn.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

extern char** environ;

namespace cricket::pod {
namespace {

absl::StatusOr<sys::UniqueFd> HighCopy(int fd) {
  sys::UniqueFd c(::fcntl(fd, F_DUPFD_CLOEXEC, 10));
  if (!c) return sys::ErrnoStatus(errno, "copy fd %d", fd);
  return c;
}

// posix_spawn's attributes and file actions, released on every path.
struct SpawnSetup {
  posix_spawn_file_actions_t fa;
  posix_spawnattr_t attr;
  SpawnSetup() {
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
  }
};

int Configure(SpawnSetup& s, int devnull, int err, int sync, int go) {
  int rc = 0;
  for (auto [from, to] : {std::pair{devnull, 0}, {devnull, 1}, {err, 2}, {sync, kMonitorSyncFd},
                          {go, kMonitorGoFd}}) {
    if (rc == 0 && from >= 0) rc = posix_spawn_file_actions_adddup2(&s.fa, from, to);
  }
  int first_closed = go >= 0 ? kMonitorGoFd + 1 : kMonitorSyncFd + 1;
  if (rc == 0) rc = posix_spawn_file_actions_addclosefrom_np(&s.fa, first_closed);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  sigdelset(&all, SIGKILL);
  sigdelset(&all, SIGSTOP);
  if (rc == 0) rc = posix_spawnattr_setsigmask(&s.attr, &none);
  if (rc == 0) rc = posix_spawnattr_setsigdefault(&s.attr, &all);
  if (rc == 0) {
    rc = posix_spawnattr_setflags(&s.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
                                               POSIX_SPAWN_SETSID);
  }
  return rc;
}

}  // namespace

absl::StatusOr<pid_t> SpawnMonitorProcess(const std::vector<std::string>& argv, int sync_fd,
                                          int go_fd, int stderr_fd) {
  if (argv.empty()) return absl::InvalidArgumentError("spawn monitor: empty argv");
  ASSIGN_OR_RETURN(sys::UniqueFd null_fd, sys::Open("/dev/null", O_RDWR));
  ASSIGN_OR_RETURN(sys::UniqueFd devnull, HighCopy(null_fd.get()));
  ASSIGN_OR_RETURN(sys::UniqueFd err, HighCopy(stderr_fd >= 0 ? stderr_fd : null_fd.get()));
  ASSIGN_OR_RETURN(sys::UniqueFd sync, HighCopy(sync_fd));
  sys::UniqueFd go;
  if (go_fd >= 0) {
    ASSIGN_OR_RETURN(go, HighCopy(go_fd));
  }
  SpawnSetup s;
  int rc = Configure(s, devnull.get(), err.get(), sync.get(), go.get());
  if (rc != 0) return sys::ErrnoStatus(rc, "set up spawn of %s", argv[0]);
  std::vector<char*> cargv;
  for (const auto& a : argv) cargv.push_back(const_cast<char*>(a.c_str()));
  cargv.push_back(nullptr);
  pid_t pid = -1;
  rc = ::posix_spawn(&pid, argv[0].c_str(), &s.fa, &s.attr, cargv.data(), environ);
  if (rc != 0) return sys::ErrnoStatus(rc, "exec %s", absl::StrJoin(argv, " "));
  return pid;
}

absl::StatusOr<int> ReapChildWithin(pid_t pid, std::chrono::milliseconds timeout) {
  sys::UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (pidfd) {
    struct pollfd p = {pidfd.get(), POLLIN, 0};
    int n;
    do {
      n = ::poll(&p, 1, static_cast<int>(timeout.count()));
    } while (n < 0 && errno == EINTR);
    if (n == 0) {
      (void)sys::SignalPid(pid, SIGKILL);
      ::waitpid(pid, nullptr, 0);
      return absl::DeadlineExceededError(absl::StrCat("pid ", pid, " still running"));
    }
  }
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid, &status, 0);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return sys::ErrnoStatus(errno, "wait for pid %d", pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace cricket::pod
