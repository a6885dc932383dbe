// Runs the command through oci::Runtime::Exec as its parent, reads stdout and
// stderr (each capped; the rest is read and dropped so the process never
// blocks), and kills it with SIGKILL at the deadline.
#include "pod/monitor/exec_mode.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "oci/runtime.h"
#include "pod/monitor/driver_config.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "pod/monitor/wait_status.h"

namespace cricket::pod::monitor {
namespace {

struct Output {
  std::string out, err;
  bool timed_out = false;
};

int64_t NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

void ReadInto(sys::UniqueFd& fd, std::string* dst, size_t cap) {
  char buf[64 * 1024];
  ssize_t n = ::read(fd.get(), buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    fd.Reset();
    return;
  }
  size_t room = cap > dst->size() ? cap - dst->size() : 0;
  dst->append(buf, std::min(room, static_cast<size_t>(n)));
}

// Reads until both pipes close or the process is gone (pidfd readable) and
// the pipes are drained, or the deadline passes.
Output Collect(int pidfd, sys::UniqueFd& out, sys::UniqueFd& err, const ExecArgs& a) {
  Output o;
  int64_t deadline = a.timeout_ms > 0 ? NowMs() + a.timeout_ms : -1;
  bool exited = false;
  while (out || err) {
    int wait = -1;
    if (deadline >= 0) wait = static_cast<int>(std::max<int64_t>(0, deadline - NowMs()));
    if (exited) wait = 0;
    struct pollfd p[3] = {{out.get(), POLLIN, 0}, {err.get(), POLLIN, 0}, {pidfd, POLLIN, 0}};
    int n = ::poll(p, 3, wait);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0 && exited) break;  // drained; writers left behind keep the pipe open
    if (n == 0) {
      o.timed_out = true;
      break;
    }
    if (p[0].revents) ReadInto(out, &o.out, a.max_output);
    if (p[1].revents) ReadInto(err, &o.err, a.max_output);
    if (p[2].revents) exited = true;
  }
  return o;
}

absl::StatusOr<int> RunExec(const ExecArgs& a, Output* o) {
  ASSIGN_OR_RETURN(sys::PipeFds out, sys::Pipe("exec stdout"));
  ASSIGN_OR_RETURN(sys::PipeFds err, sys::Pipe("exec stderr"));
  sys::UniqueFd out_r = std::move(out.read), out_w = std::move(out.write);
  sys::UniqueFd err_r = std::move(err.read), err_w = std::move(err.write);
  ASSIGN_OR_RETURN(sys::UniqueFd null_in, sys::Open("/dev/null", O_RDONLY));
  oci::ExecOptions eo;
  eo.args = a.cmd;
  eo.stdin_fd = null_in.get();
  eo.stdout_fd = out_w.get();
  eo.stderr_fd = err_w.get();
  ASSIGN_OR_RETURN(pid_t pid, driver::MakeDriver(DriverConfigOf(a))->Exec(a.id, eo));
  out_w.Reset();
  err_w.Reset();
  sys::UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  *o = Collect(pidfd.get(), out_r, err_r, a);
  if (o->timed_out) (void)sys::SignalPid(pid, SIGKILL);
  return ReapExitCode(pid);
}

}  // namespace

int Exec(const ExecArgs& a) {
  Output o;
  absl::StatusOr<int> code = RunExec(a, &o);
  nlohmann::json j;
  if (!code.ok()) {
    j = {{"error", std::string(code.status().message())},
         {"code", static_cast<int>(code.status().code())}};
  } else {
    j = {{"exit_code", *code},
         {"timed_out", o.timed_out},
         {"stdout", absl::Base64Escape(o.out)},
         {"stderr", absl::Base64Escape(o.err)}};
  }
  std::cout << j.dump() << "\n" << std::flush;
  return code.ok() ? 0 : 1;
}

}  // namespace cricket::pod::monitor
