// Launching cricket-monitor: a pipe for its sync line (at fd 3 in the child),
// a new session, and a wait for the first process, which exits as soon as the
// real monitor has forked away from us.
#include "pod/monitor_client.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

#include <nlohmann/json.hpp>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "pod/monitor_spawn.h"

namespace cricket::pod {
namespace {

int64_t NowMs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// Reads up to the first newline or EOF, giving up at the deadline.
absl::StatusOr<std::string> ReadLine(int fd, std::chrono::milliseconds timeout) {
  std::string line;
  int64_t deadline = NowMs() + timeout.count();
  for (;;) {
    int64_t left = deadline - NowMs();
    if (left <= 0) return absl::DeadlineExceededError("monitor did not report in time");
    struct pollfd p = {fd, POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(left));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys::ErrnoStatus(errno, "poll sync pipe");
    if (n == 0) continue;
    char buf[4096];
    ssize_t r = ::read(fd, buf, sizeof(buf));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return sys::ErrnoStatus(errno, "read sync pipe");
    if (r == 0) return line;
    line.append(buf, static_cast<size_t>(r));
    if (line.find('\n') != std::string::npos) return line.substr(0, line.find('\n'));
  }
}

absl::StatusOr<sys::UniqueFd> OpenMonitorLog(const std::string& path) {
  if (path.empty()) return sys::UniqueFd();
  return sys::Open(path, O_WRONLY | O_CREAT | O_APPEND, 0640);
}

}  // namespace

std::vector<std::string> MonitorArgv(const MonitorRequest& r, int sync_fd, int go_fd) {
  std::vector<std::string> a = {r.monitor_path, "run", "--id=" + r.id, "--bundle=" + r.bundle,
                                "--root=" + r.oci_root, "--exit-file=" + r.exit_file,
                                absl::StrCat("--sync-fd=", sync_fd)};
  if (!r.log_path.empty()) a.push_back("--log=" + r.log_path);
  if (r.log_size_max > 0) a.push_back(absl::StrCat("--log-size-max=", r.log_size_max));
  if (!r.pid_file.empty()) a.push_back("--pid-file=" + r.pid_file);
  if (!r.attach_dir.empty()) a.push_back("--attach-dir=" + r.attach_dir);
  if (r.tty) a.push_back("--tty");
  if (r.stdin) a.push_back("--stdin");
  if (r.stdin_once) a.push_back("--stdin-once");
  if (r.systemd_cgroup) a.push_back("--systemd-cgroup");
  if (go_fd >= 0) a.push_back(absl::StrCat("--go-fd=", go_fd));
  a.insert(a.end(), r.runtime_flags.begin(), r.runtime_flags.end());
  return a;
}

absl::StatusOr<PendingMonitor> PendingMonitor::Spawn(const MonitorRequest& r) {
  ASSIGN_OR_RETURN(sys::PipeFds sync, sys::Pipe("monitor sync"));
  sys::UniqueFd rd = std::move(sync.read), wr = std::move(sync.write);
  // A socket, not a pipe: send() with MSG_NOSIGNAL to a monitor that is gone
  // already fails without a SIGPIPE.
  ASSIGN_OR_RETURN(sys::SocketPairFds g, sys::SocketPair(SOCK_STREAM, "monitor go"));
  sys::UniqueFd go = std::move(g.first), go_child = std::move(g.second);
  ASSIGN_OR_RETURN(sys::UniqueFd log, OpenMonitorLog(r.monitor_log));
  ASSIGN_OR_RETURN(pid_t first,
                   SpawnMonitorProcess(MonitorArgv(r, kMonitorSyncFd, kMonitorGoFd), wr.get(),
                                       go_child.get(), log ? log.get() : -1));
  PendingMonitor m;
  m.id_ = r.id;
  m.timeout_ = r.timeout;
  m.first_ = first;
  m.sync_ = std::move(rd);
  m.go_ = std::move(go);
  return m;
}

PendingMonitor::PendingMonitor(PendingMonitor&& o) noexcept
    : id_(std::move(o.id_)),
      timeout_(o.timeout_),
      first_(std::exchange(o.first_, -1)),
      sync_(std::move(o.sync_)),
      go_(std::move(o.go_)) {}

PendingMonitor::~PendingMonitor() {
  bool gave_up = static_cast<bool>(go_);
  go_.Reset();  // EOF: the monitor gives up unless Go() ran
  // The first process only forks and exits; reaping it leaves no zombie.
  if (first_ > 0) (void)ReapChildWithin(first_, std::chrono::seconds(10));
  // Wait for a monitor that was told to give up to say so: it reports after
  // writing its pid file and attach socket, so the rollback that follows
  // removes them instead of racing a slow monitor that writes them later.
  if (gave_up && sync_) (void)ReadLine(sync_.get(), std::chrono::seconds(10));
}

absl::StatusOr<MonitorStarted> PendingMonitor::Go() {
  ssize_t n = ::send(go_.get(), "1", 1, MSG_NOSIGNAL);
  (void)n;  // a monitor that failed already has reported why on the sync pipe
  go_.Reset();
  absl::StatusOr<int> code = ReapChildWithin(std::exchange(first_, -1), std::chrono::seconds(10));
  if (!code.ok()) return sys::Annotate(code.status(), "start monitor for %s", id_);
  ASSIGN_OR_RETURN(std::string line, ReadLine(sync_.get(), timeout_));
  return ParseSyncLine(id_, line);
}

absl::StatusOr<MonitorStarted> LaunchMonitor(const MonitorRequest& r) {
  ASSIGN_OR_RETURN(PendingMonitor m, PendingMonitor::Spawn(r));
  return m.Go();
}

absl::StatusOr<ExecResult> ParseExecOutput(const std::string& id, const std::string& line,
                                           std::chrono::milliseconds timeout) {
  std::string what = absl::StrCat("exec in container ", id);
  nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
  if (!j.is_object()) return absl::InternalError(what + ": bad helper output");
  if (j.contains("error")) return HelperErrorStatus(j, what);
  if (j.value("timed_out", false)) {
    return absl::DeadlineExceededError(
        absl::StrCat(what, ": command timed out after ", timeout.count(), " ms"));
  }
  ExecResult res;
  res.exit_code = j.value("exit_code", -1);
  if (!absl::Base64Unescape(j.value("stdout", std::string()), &res.out) ||
      !absl::Base64Unescape(j.value("stderr", std::string()), &res.err)) {
    return absl::InternalError(what + ": bad output encoding");
  }
  return res;
}

absl::StatusOr<ExecResult> RunExecHelper(const ExecRequest& r) {
  sys::SpawnOptions so;
  so.argv = {r.monitor_path, "exec", "--id=" + r.id, "--root=" + r.oci_root,
             absl::StrCat("--timeout-ms=", r.timeout.count()),
             absl::StrCat("--max-output=", r.max_output)};
  if (r.systemd_cgroup) so.argv.push_back("--systemd-cgroup");
  so.argv.insert(so.argv.end(), r.runtime_flags.begin(), r.runtime_flags.end());
  so.argv.push_back("--");
  so.argv.insert(so.argv.end(), r.cmd.begin(), r.cmd.end());
  // The helper enforces the command's timeout; ours only guards the helper.
  auto guard = r.timeout.count() > 0 ? r.timeout + std::chrono::seconds(30)
                                     : std::chrono::milliseconds(std::chrono::hours(24));
  // Base64 grows output by 4/3; two streams plus the JSON around them.
  size_t cap = r.max_output * 3 + (1 << 20);
  ASSIGN_OR_RETURN(sys::CommandResult cr, sys::RunCommand(so, "", guard, cap));
  std::string line = cr.out.substr(0, cr.out.find('\n'));
  if (line.empty()) {
    return absl::InternalError(absl::StrCat("exec in container ", r.id, ": helper failed: ", cr.err));
  }
  return ParseExecOutput(r.id, line, r.timeout);
}

}  // namespace cricket::pod
