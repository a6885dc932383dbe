// fork+exec with only async-signal-safe calls in the child; pidfd-based waits.
#include "oci/sys/child_process.h"

#include <fcntl.h>
#include <linux/close_range.h>
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_join.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"

extern char** environ;

namespace cricket::sys {
namespace {

std::string ResolveProgram(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = getenv("PATH");
  std::string p = path ? path : "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  size_t i = 0;
  while (i <= p.size()) {
    size_t j = p.find(':', i);
    if (j == std::string::npos) j = p.size();
    std::string cand = p.substr(i, j - i) + "/" + name;
    if (::access(cand.c_str(), X_OK) == 0) return cand;
    i = j + 1;
  }
  return name;
}

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const auto& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

// In the child: nothing here may allocate or take a lock.
[[noreturn]] void ExecChild(const SpawnOptions& o, const char* prog, char** argv, char** envp,
                            int devnull, int err_pipe) {
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int s = 1; s < NSIG; s++) sigaction(s, &dfl, nullptr);
  if (o.new_session) setsid();
  int src[3] = {o.stdin_fd < 0 ? devnull : o.stdin_fd, o.stdout_fd < 0 ? devnull : o.stdout_fd,
                o.stderr_fd == -2 ? 2 : (o.stderr_fd < 0 ? devnull : o.stderr_fd)};
  int tmp[3];
  for (int i = 0; i < 3; i++) tmp[i] = fcntl(src[i], F_DUPFD, 100);
  for (int i = 0; i < 3; i++) {
    if (tmp[i] < 0 || dup2(tmp[i], i) < 0) {
      int e = errno;
      ssize_t n = write(err_pipe, &e, sizeof e);
      (void)n;
      _exit(127);
    }
  }
  syscall(SYS_close_range, 3, ~0U, CLOSE_RANGE_CLOEXEC);
  for (int fd : o.keep_fds) fcntl(fd, F_SETFD, 0);
  if (!o.cwd.empty() && chdir(o.cwd.c_str()) != 0) {
    int e = errno;
    ssize_t n = write(err_pipe, &e, sizeof e);
    (void)n;
    _exit(127);
  }
  execve(prog, argv, envp);
  int e = errno;
  ssize_t n = write(err_pipe, &e, sizeof e);
  (void)n;
  _exit(127);
}

}  // namespace

bool ExitInfo::exited() const { return WIFEXITED(status); }
int ExitInfo::code() const {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}
int ExitInfo::signal() const { return WIFSIGNALED(status) ? WTERMSIG(status) : 0; }

absl::StatusOr<ChildProcess> ChildProcess::Spawn(const SpawnOptions& o) {
  if (o.argv.empty()) return absl::InvalidArgumentError("spawn: empty argv");
  std::string prog = ResolveProgram(o.argv[0]);
  std::vector<char*> argv = CStrings(o.argv);
  std::vector<char*> envp;
  if (o.env) envp = CStrings(*o.env);
  ASSIGN_OR_RETURN(UniqueFd devnull, Open("/dev/null", O_RDWR));
  ASSIGN_OR_RETURN(PipeFds exec_result, Pipe("exec result"));
  UniqueFd rd = std::move(exec_result.read), wr = std::move(exec_result.write);
  pid_t pid = ::fork();
  if (pid < 0) return ErrnoStatus(errno, "fork for %s", o.argv[0]);
  if (pid == 0) {
    ExecChild(o, prog.c_str(), argv.data(), o.env ? envp.data() : environ, devnull.get(), wr.get());
  }
  wr.Reset();
  ChildProcess child;
  child.pid_ = pid;
  child.pidfd_ = UniqueFd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  int child_errno = 0;
  ssize_t n;
  do {
    n = ::read(rd.get(), &child_errno, sizeof child_errno);
  } while (n < 0 && errno == EINTR);
  if (n == sizeof child_errno) {
    (void)child.Wait();
    return ErrnoStatus(child_errno, "exec %s", absl::StrJoin(o.argv, " "));
  }
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& o) noexcept
    : pid_(std::exchange(o.pid_, -1)), pidfd_(std::move(o.pidfd_)) {}

ChildProcess& ChildProcess::operator=(ChildProcess&& o) noexcept {
  if (this != &o) {
    ChildProcess old(std::move(*this));
    pid_ = std::exchange(o.pid_, -1);
    pidfd_ = std::move(o.pidfd_);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  if (pid_ <= 0) return;
  (void)Signal(SIGKILL);
  (void)Wait();
}

absl::Status ChildProcess::Signal(int sig) {
  if (pid_ <= 0) return absl::FailedPreconditionError("signal: no child");
  int rc = pidfd_ ? static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd_.get(), sig, nullptr, 0))
                  : ::kill(pid_, sig);
  if (rc != 0) return ErrnoStatus(errno, "signal %d to pid %d", sig, pid_);
  return absl::OkStatus();
}

absl::StatusOr<ExitInfo> ChildProcess::Wait() {
  if (pid_ <= 0) return absl::FailedPreconditionError("wait: no child");
  int status = 0;
  pid_t r;
  do {
    r = ::waitpid(pid_, &status, 0);
  } while (r < 0 && errno == EINTR);
  if (r < 0) return ErrnoStatus(errno, "wait for pid %d", pid_);
  pid_ = -1;
  pidfd_.Reset();
  return ExitInfo{status};
}

absl::StatusOr<ExitInfo> ChildProcess::WaitFor(std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return absl::FailedPreconditionError("wait: no child");
  if (pidfd_) {
    struct pollfd pfd = {pidfd_.get(), POLLIN, 0};
    int r;
    do {
      r = ::poll(&pfd, 1, static_cast<int>(timeout.count()));
    } while (r < 0 && errno == EINTR);
    if (r == 0) return absl::DeadlineExceededError(absl::StrFormat("pid %d still running", pid_));
  }
  return Wait();
}

void ChildProcess::Detach() {
  pid_ = -1;
  pidfd_.Reset();
}

absl::Status SignalPid(pid_t pid, int sig) {
  if (::kill(pid, sig) != 0) return ErrnoStatus(errno, "signal %d to pid %d", sig, pid);
  return absl::OkStatus();
}

}  // namespace cricket::sys
