// The monitor's life: the caller (cricketd) spawns us in a new session and
// reaps the first process at once; the forked second process is reparented
// to init, so it survives cricketd. It is the container init's parent and a
// child subreaper, so it reaps the init and any orphans of the container.
// Once the container exists and is reported, it execs the lean supervisor
// (handoff.h) in its own place.
#include "pod/monitor/run.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>

#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "pod/monitor/attach.h"
#include "pod/monitor/driver_config.h"
#include "pod/monitor/finish.h"
#include "pod/monitor/handoff.h"
#include "pod/monitor/log_writer.h"
#include "pod/monitor/oom_counter.h"
#include "pod/monitor/stdio.h"
#include "pod/monitor/supervise.h"
#include "pod/monitor/protocol/runtime_file.h"
#include "pod/monitor/protocol/sync.h"

namespace cricket::pod::monitor {
namespace {

// Returns in the detached grandchild only; the first process exits here.
absl::Status Detach() {
  pid_t p = ::fork();
  if (p < 0) return sys::ErrnoStatus(errno, "fork");
  if (p > 0) ::_exit(0);
  if (::setsid() < 0) return sys::ErrnoStatus(errno, "setsid");
  if (::prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    return sys::ErrnoStatus(errno, "become child subreaper");
  }
  return absl::OkStatus();
}

// One line on the sync pipe (protocol/sync.h), then EOF.
void Report(int sync_fd, const std::string& line) {
  if (sync_fd < 0) return;
  ssize_t n = ::write(sync_fd, line.data(), line.size());
  (void)n;  // cricketd treats a missing line as a failure of its own
  sys::UniqueFd closer(sync_fd);
}

// Blocks until cricketd says the bundle is complete; an EOF means it gave up.
absl::Status AwaitGo(int go_fd) {
  if (go_fd < 0) return absl::OkStatus();
  sys::UniqueFd go(go_fd);
  char b;
  ssize_t n;
  do {
    n = ::read(go.get(), &b, 1);
  } while (n < 0 && errno == EINTR);
  if (n == 1) return absl::OkStatus();
  if (n < 0) return sys::ErrnoStatus(errno, "wait for the bundle");
  return absl::CancelledError("cricketd gave up before the bundle was complete");
}

absl::StatusOr<pid_t> CreateContainer(const RunArgs& a, Stdio& stdio) {
  std::unique_ptr<driver::RuntimeDriver> rt = driver::MakeDriver(DriverConfigOf(a));
  driver::CreateIo io;
  io.console_socket_fd = a.tty ? stdio.console_child.get() : -1;
  io.stdin_fd = stdio.child_in.get();
  io.stdout_fd = a.tty ? stdio.child_in.get() : stdio.child_out.get();
  io.stderr_fd = a.tty ? stdio.child_in.get() : stdio.child_err.get();
  ASSIGN_OR_RETURN(pid_t pid, rt->Create(a.id, a.bundle, io));
  stdio.child_in.Reset();
  stdio.child_out.Reset();
  stdio.child_err.Reset();
  if (a.tty) {
    absl::Status st = AcceptConsole(stdio);
    if (!st.ok()) {
      (void)rt->Delete(a.id, /*force=*/true);  // kills init; we reap it on exit
      return st;
    }
  }
  return pid;
}

absl::StatusOr<pid_t> Setup(const RunArgs& a, Stdio& stdio, LogWriter& log,
                            AttachServer& attach) {
  RETURN_IF_ERROR(Detach());
  if (!a.pid_file.empty()) {
    RETURN_IF_ERROR(WriteRuntimeFile(a.pid_file, std::to_string(::getpid())));
  }
  RETURN_IF_ERROR(log.Open());
  ASSIGN_OR_RETURN(stdio, MakeStdio(a));
  // Before the report, so an Attach right after Create finds the socket.
  RETURN_IF_ERROR(attach.Listen(a.attach_dir.empty() ? a.bundle : a.attach_dir));
  RETURN_IF_ERROR(AwaitGo(a.go_fd));
  ASSIGN_OR_RETURN(pid_t pid, CreateContainer(a, stdio));
  attach.SetContainerIo(a.tty ? stdio.out.get() : -1,
                        a.tty || !a.stdin ? sys::UniqueFd() : std::move(stdio.in_keep), a.stdin,
                        a.stdin_once);
  return pid;
}

// Without the OOM counter an OOM kill is reported as a plain kill (Error).
sys::UniqueFd OomCounter(const RunArgs& a, pid_t init_pid) {
  absl::StatusOr<sys::UniqueFd> fd = OpenOomCounter(init_pid);
  if (fd.ok()) return std::move(*fd);
  sys::LogWarn("no OOM counter", {{"id", a.id}, {"error", std::string(fd.status().message())}});
  return sys::UniqueFd();
}

}  // namespace

int Run(const RunArgs& a) {
  Stdio stdio;
  LogWriter log(a.log_path, a.log_size_max);
  AttachServer attach;
  absl::StatusOr<pid_t> pid = Setup(a, stdio, log, attach);
  if (!pid.ok()) {
    Report(a.sync_fd, SyncErrorLine(pid.status()));
    return 1;
  }
  // The parent's counter base before the report, so no kill after cricketd
  // starts init can be in it (a few syscalls on cricketd's wait).
  absl::StatusOr<sys::UniqueFd> parent = OpenParentOomCounter(*pid);
  sys::UniqueFd oom_parent = parent.ok() ? std::move(*parent) : sys::UniqueFd();
  uint64_t oom_parent_base = ReadOomKillCount(oom_parent.get()).value_or(0);
  // Blocked before the report: a SIGUSR1 or SIGCHLD from now on waits, pending,
  // across the exec below, for the supervisor's signalfd.
  (void)BlockSignals();  // SuperviseToExit blocks again and reports a failure
  Report(a.sync_fd, SyncStartedLine({*pid, ::getpid()}));
  // After the report, off cricketd's wait: the rest is ours alone.
  sys::UniqueFd oom = OomCounter(a, *pid);
  Supervised s{a.id, a.exit_file, *pid, oom.get(), oom_parent.get(), oom_parent_base};
  absl::Status st = ExecSupervisor(a, s, stdio, log, attach);
  sys::LogWarn("supervising in cricket-monitor", {{"id", a.id}, {"why", std::string(st.message())}});
  return SuperviseToExit(s, stdio, log, attach);
}

}  // namespace cricket::pod::monitor
