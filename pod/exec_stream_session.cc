// ExecStreamSession: one helper process, the session's ends of its stdio,
// and the control socket that reports the exit code or cancels.
#include "pod/exec_stream_session.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <cerrno>
#include <optional>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "pod/monitor_client.h"
#include "pod/stream_fds.h"

namespace cricket::pod {
namespace {

class ExecStreamSession : public StreamSession {
 public:
  explicit ExecStreamSession(const ExecStreamRequest& r) : r_(r) {}
  ~ExecStreamSession() override { Close(); }

  absl::Status Start();
  int in_fd() const override { return r_.opts.stdin ? (r_.opts.tty ? master_ : in_).get() : -1; }
  int out_fd() const override {
    return r_.opts.stdout ? (r_.opts.tty ? master_ : out_).get() : -1;
  }
  int err_fd() const override { return r_.opts.tty ? -1 : err_.get(); }
  absl::Status CloseStdin() override;
  absl::Status Resize(uint16_t width, uint16_t height) override;
  absl::StatusOr<int> Wait() override;
  void Close() override;

 private:
  absl::Status MakeStdio(sys::UniqueFd child[3], sys::UniqueFd* console,
                         sys::UniqueFd* console_child);
  // The next JSON line from the helper; Internal when it is gone.
  absl::StatusOr<nlohmann::json> ReadMessage(std::chrono::milliseconds timeout)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(wait_mu_);
  std::string What() const { return absl::StrCat("exec in container ", r_.id); }

  const ExecStreamRequest r_;
  sys::UniqueFd in_, out_, err_;  // pipe ends without a tty
  sys::UniqueFd master_;          // the pty master with a tty
  sys::UniqueFd control_;
  absl::Mutex wait_mu_;  // one reader of control_ at a time
  std::string pending_ ABSL_GUARDED_BY(wait_mu_);
  std::optional<int> exit_code_ ABSL_GUARDED_BY(wait_mu_);
  absl::Mutex child_mu_;
  sys::ChildProcess helper_ ABSL_GUARDED_BY(child_mu_);
  bool closed_ ABSL_GUARDED_BY(child_mu_) = false;
};

absl::Status ExecStreamSession::MakeStdio(sys::UniqueFd child[3], sys::UniqueFd* console,
                                          sys::UniqueFd* console_child) {
  if (r_.opts.tty) {
    ASSIGN_OR_RETURN(sys::SocketPairFds pair, sys::SocketPair(SOCK_STREAM, "exec console"));
    *console = std::move(pair.first);
    *console_child = std::move(pair.second);
    return absl::OkStatus();
  }
  // Each stream's pipe: the helper's end goes in child[i], ours in `ours`.
  auto pipe = [&](const char* what, bool to_child, sys::UniqueFd* ours, sys::UniqueFd* theirs) {
    absl::StatusOr<sys::PipeFds> p = sys::Pipe(what);
    if (!p.ok()) return p.status();
    *ours = std::move(to_child ? p->write : p->read);
    *theirs = std::move(to_child ? p->read : p->write);
    return absl::OkStatus();
  };
  if (r_.opts.stdin) RETURN_IF_ERROR(pipe("exec stdin", true, &in_, &child[0]));
  if (r_.opts.stdout) RETURN_IF_ERROR(pipe("exec stdout", false, &out_, &child[1]));
  if (r_.opts.stderr) RETURN_IF_ERROR(pipe("exec stderr", false, &err_, &child[2]));
  return absl::OkStatus();
}

absl::Status ExecStreamSession::Start() {
  sys::UniqueFd child[3], console, console_child, control_child;
  RETURN_IF_ERROR(MakeStdio(child, &console, &console_child));
  ASSIGN_OR_RETURN(sys::SocketPairFds control, sys::SocketPair(SOCK_STREAM, "exec control"));
  control_ = std::move(control.first);
  control_child = std::move(control.second);
  int stdio_fds[3] = {child[0].get(), child[1].get(), child[2].get()};
  sys::SpawnOptions so;
  so.argv = ExecStreamArgv(r_, control_child.get(), console_child.get(), stdio_fds);
  for (int fd : {control_child.get(), console_child.get(), stdio_fds[0], stdio_fds[1],
                 stdio_fds[2]}) {
    if (fd >= 0) so.keep_fds.push_back(fd);
  }
  so.stderr_fd = -2;  // the engine's own log lines go to cricketd's log
  so.new_session = true;
  {
    absl::MutexLock l(&child_mu_);
    ASSIGN_OR_RETURN(helper_, sys::ChildProcess::Spawn(so));
  }
  for (auto* fd : {&child[0], &child[1], &child[2], &console_child, &control_child}) fd->Reset();
  absl::StatusOr<nlohmann::json> msg;
  {
    absl::MutexLock l(&wait_mu_);
    msg = ReadMessage(r_.start_timeout);
  }
  if (!msg.ok()) return msg.status();
  if (!msg->contains("pid")) return HelperErrorStatus(*msg, What());
  if (!r_.opts.tty) return absl::OkStatus();
  // The engine sent the master before the process exec'd, so it is there.
  absl::StatusOr<sys::UniqueFd> master = ReceiveFd(console.get(), std::chrono::seconds(10));
  if (!master.ok()) return sys::Annotate(master.status(), "%s", What());
  master_ = std::move(*master);
  return absl::OkStatus();
}

absl::StatusOr<nlohmann::json> ExecStreamSession::ReadMessage(std::chrono::milliseconds timeout) {
  for (;;) {
    size_t nl = pending_.find('\n');
    if (nl != std::string::npos) {
      std::string line = pending_.substr(0, nl);
      pending_.erase(0, nl + 1);
      nlohmann::json j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_object()) return absl::InternalError(What() + ": bad helper message: " + line);
      return j;
    }
    struct pollfd p = {control_.get(), POLLIN, 0};
    int n = ::poll(&p, 1, timeout.count() > 0 ? static_cast<int>(timeout.count()) : -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys::ErrnoStatus(errno, "%s: poll helper", What());
    if (n == 0) return absl::DeadlineExceededError(What() + ": helper did not report in time");
    char buf[512];
    ssize_t r = ::read(control_.get(), buf, sizeof(buf));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return sys::ErrnoStatus(errno, "%s: read helper", What());
    if (r == 0) return absl::InternalError(What() + ": helper exited without reporting");
    pending_.append(buf, static_cast<size_t>(r));
  }
}

absl::Status ExecStreamSession::CloseStdin() {
  if (r_.opts.tty) {
    if (!r_.opts.stdin) return absl::FailedPreconditionError(What() + ": no stdin");
    return sys::Annotate(WriteAll(master_.get(), "\x04"), "%s: close stdin", What());
  }
  if (!in_) return absl::FailedPreconditionError(What() + ": no stdin");
  // dup3 keeps the number valid for a server thread still holding it.
  absl::StatusOr<sys::UniqueFd> null_fd = sys::Open("/dev/null", O_WRONLY);
  if (!null_fd.ok()) return sys::Annotate(null_fd.status(), "%s: close stdin", What());
  if (::dup3(null_fd->get(), in_.get(), O_CLOEXEC) < 0) {
    return sys::ErrnoStatus(errno, "%s: close stdin", What());
  }
  return absl::OkStatus();
}

absl::Status ExecStreamSession::Resize(uint16_t width, uint16_t height) {
  if (!master_) return absl::FailedPreconditionError(What() + ": no tty to resize");
  return sys::Annotate(SetTerminalSize(master_.get(), width, height), "%s", What());
}

absl::StatusOr<int> ExecStreamSession::Wait() {
  absl::MutexLock l(&wait_mu_);
  while (!exit_code_) {
    ASSIGN_OR_RETURN(nlohmann::json j, ReadMessage(std::chrono::milliseconds(0)));
    if (j.contains("exit_code")) exit_code_ = j.value("exit_code", -1);
  }
  return *exit_code_;
}

void ExecStreamSession::Close() {
  absl::MutexLock l(&child_mu_);
  if (closed_) return;
  closed_ = true;
  // EOF on the helper's control socket: it kills the process tree, reports
  // the exit code (still readable by Wait) and exits.
  if (control_) ::shutdown(control_.get(), SHUT_WR);
  if (helper_.pid() <= 0) return;
  if (!helper_.WaitFor(r_.kill_grace).ok()) {
    (void)helper_.Signal(SIGKILL);
    (void)helper_.Wait();
  }
}

}  // namespace

std::vector<std::string> ExecStreamArgv(const ExecStreamRequest& r, int control_fd,
                                        int console_fd, const int stdio_fds[3]) {
  std::vector<std::string> a = {r.monitor_path, "exec", "--stream", "--id=" + r.id,
                                "--root=" + r.oci_root, absl::StrCat("--control-fd=", control_fd)};
  if (r.systemd_cgroup) a.push_back("--systemd-cgroup");
  a.insert(a.end(), r.runtime_flags.begin(), r.runtime_flags.end());
  if (r.opts.tty) {
    a.push_back("--tty");
    a.push_back(absl::StrCat("--console-fd=", console_fd));
    if (r.opts.width > 0 && r.opts.height > 0) {
      a.push_back(absl::StrCat("--console-width=", r.opts.width));
      a.push_back(absl::StrCat("--console-height=", r.opts.height));
    }
  } else {
    const char* names[3] = {"--stdin-fd=", "--stdout-fd=", "--stderr-fd="};
    for (int i = 0; i < 3; ++i) {
      if (stdio_fds[i] >= 0) a.push_back(absl::StrCat(names[i], stdio_fds[i]));
    }
  }
  a.push_back("--");
  a.insert(a.end(), r.cmd.begin(), r.cmd.end());
  return a;
}

absl::StatusOr<std::unique_ptr<StreamSession>> StartExecStream(const ExecStreamRequest& r) {
  if (r.cmd.empty()) {
    return absl::InvalidArgumentError("exec in container " + r.id + ": empty command");
  }
  auto s = std::make_unique<ExecStreamSession>(r);
  RETURN_IF_ERROR(s->Start());
  return s;
}

}  // namespace cricket::pod
