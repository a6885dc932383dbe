// Detached spawn into namespaces via an intermediate child; process identity
// by (pid, start time) and pidfd-checked signals.
#include "oci/sys/spawn_in_namespaces.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

extern char** environ;

namespace cricket::sys {
namespace {

// The named steps of the intermediate child, reported with errno on failure.
enum Step : int32_t { kReport = 0, kSetns = 1, kUnshare = 2, kFork = 3, kSetsid = 4, kStdio = 5, kExec = 6, kSetid = 7 };
constexpr const char* kStepNames[] = {"pid", "setns", "unshare(CLONE_NEWPID)", "fork", "setsid",
                                      "stdio", "exec", "become root of the user namespace"};

struct Message {
  int32_t step;
  int32_t err;
  int32_t value;  // kReport: the pid; kSetns: the index into join_ns
};

void Send(int fd, Step step, int err, int value) {
  Message m{step, err, value};
  ssize_t n = write(fd, &m, sizeof m);  // < PIPE_BUF: atomic
  (void)n;
}

void ResetSignals() {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; s++) sigaction(s, &dfl, nullptr);
}

// The target: its own session, stdio, exec. Nothing here allocates.
[[noreturn]] void ExecTarget(char** argv, int devnull, int err_fd, int extra_fd, int pipe_fd) {
  if (setsid() < 0) Send(pipe_fd, kSetsid, errno, 0), _exit(127);
  int src[3] = {devnull, devnull, err_fd < 0 ? devnull : err_fd};
  int tmp[3];
  for (int i = 0; i < 3; i++) tmp[i] = fcntl(src[i], F_DUPFD, 100);
  // Moved out of the way first: the extra fd may sit where stdio goes.
  int extra = extra_fd < 0 ? -1 : fcntl(extra_fd, F_DUPFD, 100);
  if (extra_fd >= 0 && extra < 0) Send(pipe_fd, kStdio, errno, 3), _exit(127);
  for (int i = 0; i < 3; i++) {
    if (tmp[i] < 0 || dup2(tmp[i], i) < 0) Send(pipe_fd, kStdio, errno, i), _exit(127);
  }
  syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
  // dup2 leaves fd 3 without FD_CLOEXEC: the only extra fd that survives exec.
  if (extra >= 0 && dup2(extra, 3) < 0) Send(pipe_fd, kStdio, errno, 3), _exit(127);
  if (chdir("/") != 0) {
    // Not fatal: the target does not care where it is.
  }
  execve(argv[0], argv, environ);
  Send(pipe_fd, kExec, errno, 0);
  _exit(127);
}

// The intermediate child: join, unshare, fork the target, report its pid, exit.
[[noreturn]] void Intermediate(const std::vector<int>& ns_fds, const NamespaceSpawnOptions& o,
                               char** argv, int devnull, int pipe_fd) {
  const bool new_pid_ns = o.new_pid_ns;
  const int err_fd = o.stderr_fd, extra_fd = o.extra_fd;
  ResetSignals();
  for (size_t i = 0; i < ns_fds.size(); i++) {
    if (setns(ns_fds[i], 0) != 0) Send(pipe_fd, kSetns, errno, static_cast<int>(i)), _exit(1);
  }
  // Raw syscalls: glibc's set*id wrappers synchronise threads, which a fork
  // of a threaded daemon must not rely on.
  if (o.userns_root && (syscall(SYS_setgroups, 0, nullptr) != 0 ||
                        syscall(SYS_setresgid, 0, 0, 0) != 0 || syscall(SYS_setresuid, 0, 0, 0) != 0)) {
    Send(pipe_fd, kSetid, errno, 0), _exit(1);
  }
  if (new_pid_ns && unshare(CLONE_NEWPID) != 0) Send(pipe_fd, kUnshare, errno, 0), _exit(1);
  pid_t pid = _Fork();
  if (pid < 0) Send(pipe_fd, kFork, errno, 0), _exit(1);
  if (pid == 0) ExecTarget(argv, devnull, err_fd, extra_fd, pipe_fd);
  Send(pipe_fd, kReport, 0, pid);
  _exit(0);
}

int64_t NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// Reads messages until every writer is gone (EOF): the target's exec closes its end.
absl::StatusOr<std::vector<Message>> ReadMessages(int fd, std::chrono::milliseconds timeout) {
  std::vector<Message> out;
  int64_t deadline = NowMs() + timeout.count();
  Message m;
  size_t have = 0;
  for (;;) {
    int64_t left = deadline - NowMs();
    if (left <= 0) return absl::DeadlineExceededError("no report from the spawned process");
    struct pollfd p = {fd, POLLIN, 0};
    int r = ::poll(&p, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return ErrnoStatus(errno, "poll spawn pipe");
    if (r == 0) continue;
    ssize_t n = ::read(fd, reinterpret_cast<char*>(&m) + have, sizeof m - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, "read spawn pipe");
    if (n == 0) return out;
    have += static_cast<size_t>(n);
    if (have == sizeof m) {
      out.push_back(m);
      have = 0;
    }
  }
}

absl::StatusOr<pid_t> Interpret(const NamespaceSpawnOptions& o, const std::vector<Message>& msgs) {
  pid_t pid = 0;
  for (const Message& m : msgs) {
    if (m.step == kReport) {
      pid = m.value;
      continue;
    }
    std::string what = kStepNames[m.step >= 0 && m.step <= kSetid ? m.step : kExec];
    if (m.step == kSetns && m.value >= 0 && static_cast<size_t>(m.value) < o.join_ns.size()) {
      what = absl::StrCat("setns ", o.join_ns[m.value]);
    }
    return ErrnoStatus(m.err, "spawn %s: %s", o.argv[0], what);
  }
  if (pid <= 0) return absl::InternalError(absl::StrCat("spawn ", o.argv[0], ": no pid reported"));
  return pid;
}

}  // namespace

absl::StatusOr<pid_t> SpawnDetachedInNamespaces(const NamespaceSpawnOptions& o) {
  if (o.argv.empty() || o.argv[0].empty() || o.argv[0][0] != '/') {
    return absl::InvalidArgumentError("spawn: argv[0] must be an absolute path");
  }
  std::vector<char*> argv;
  for (const auto& s : o.argv) argv.push_back(const_cast<char*>(s.c_str()));
  argv.push_back(nullptr);
  std::vector<UniqueFd> ns_owned;
  std::vector<int> ns_fds;
  for (const std::string& path : o.join_ns) {
    absl::StatusOr<UniqueFd> fd = Open(path, O_RDONLY);
    if (!fd.ok()) return Annotate(fd.status(), "namespace");
    ns_fds.push_back(fd->get());
    ns_owned.push_back(std::move(*fd));
  }
  ASSIGN_OR_RETURN(UniqueFd devnull, Open("/dev/null", O_RDWR));
  ASSIGN_OR_RETURN(PipeFds report, Pipe("spawn report"));
  UniqueFd rd = std::move(report.read), wr = std::move(report.write);
  pid_t mid = ::fork();
  if (mid < 0) return ErrnoStatus(errno, "fork for %s", o.argv[0]);
  if (mid == 0) {
    Intermediate(ns_fds, o, argv.data(), devnull.get(), wr.get());
  }
  wr.Reset();
  int status = 0;
  while (::waitpid(mid, &status, 0) < 0 && errno == EINTR) {
  }
  ASSIGN_OR_RETURN(std::vector<Message> msgs, ReadMessages(rd.get(), o.timeout));
  return Interpret(o, msgs);
}

namespace {

struct ProcStat {
  std::string state;  // field 3: R, S, Z, ...
  uint64_t start = 0;
};

absl::StatusOr<ProcStat> ReadProcStat(pid_t pid) {
  auto stat = ReadFile(absl::StrCat("/proc/", pid, "/stat"));
  if (!stat.ok()) return absl::NotFoundError(absl::StrCat("process ", pid, " is gone"));
  // The command (field 2) may hold spaces and parentheses: parse after the last ')'.
  size_t close = stat->rfind(')');
  if (close == std::string::npos) return absl::InternalError("bad /proc stat format");
  std::vector<std::string> f = absl::StrSplit(stat->substr(close + 2), ' ');
  // f[0] is field 3 (state), so field 22 (starttime) is f[19].
  ProcStat out;
  if (f.size() < 20 || !absl::SimpleAtoi(f[19], &out.start)) {
    return absl::InternalError(absl::StrCat("bad /proc/", pid, "/stat"));
  }
  out.state = f[0];
  return out;
}

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

// A detached process is re-parented to the init or subreaper above us; when
// that is us (cricketd as PID 1 of a node container, or a subreaper), only we
// can reap it, or it stays a zombie for good. Not our child: ECHILD, nothing to do.
void ReapIfOurs(int pidfd) {
  siginfo_t info{};
  while (::waitid(static_cast<idtype_t>(P_PIDFD), static_cast<id_t>(pidfd), &info,
                  WEXITED | WNOHANG) < 0 && errno == EINTR) {
  }
}

}  // namespace

absl::StatusOr<uint64_t> ProcessStartTime(pid_t pid) {
  ASSIGN_OR_RETURN(ProcStat st, ReadProcStat(pid));
  if (st.state == "Z" || st.state == "X") return absl::NotFoundError(absl::StrCat("process ", pid, " exited"));
  return st.start;
}

bool ProcessIsSame(pid_t pid, uint64_t start_time) {
  if (pid <= 0) return false;
  auto st = ProcessStartTime(pid);
  return st.ok() && *st == start_time;
}

absl::Status SignalProcessIfSame(pid_t pid, uint64_t start_time, int sig,
                                 std::chrono::milliseconds wait) {
  if (pid <= 0) return absl::OkStatus();
  UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd) {
    if (errno == ESRCH) return absl::OkStatus();
    return ErrnoStatus(errno, "pidfd_open %d", pid);
  }
  // Checked after the pidfd is held: the pidfd cannot switch to a recycled pid
  // (nor can a zombie's pid be recycled before it is reaped).
  absl::StatusOr<ProcStat> st = ReadProcStat(pid);
  if (!st.ok() || st->start != start_time) return absl::OkStatus();
  if (st->state == "Z" || st->state == "X") {
    ReapIfOurs(pidfd.get());
    return absl::OkStatus();
  }
  if (::syscall(SYS_pidfd_send_signal, pidfd.get(), sig, nullptr, 0) != 0 && errno != ESRCH) {
    return ErrnoStatus(errno, "signal %d to pid %d", sig, pid);
  }
  struct pollfd p = {pidfd.get(), POLLIN, 0};
  int64_t deadline = NowMs() + wait.count();
  for (;;) {
    int64_t left = deadline - NowMs();
    int r = ::poll(&p, 1, static_cast<int>(left > 0 ? left : 0));
    if (r > 0) {
      ReapIfOurs(pidfd.get());
      return absl::OkStatus();
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return ErrnoStatus(errno, "poll pidfd of %d", pid);
    return absl::DeadlineExceededError(absl::StrCat("pid ", pid, " still runs after signal ", sig));
  }
}

}  // namespace cricket::sys
