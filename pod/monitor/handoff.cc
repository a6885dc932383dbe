// The exec into cricket-monitor-supervise: the fds it needs lose FD_CLOEXEC
// and are named on its command line; every other fd closes on exec.
#include "pod/monitor/handoff.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "oci/sys/status.h"

namespace cricket::pod::monitor {
namespace {

void AddFd(std::vector<std::string>* argv, const char* flag, int fd) {
  if (fd >= 0) argv->push_back(absl::StrCat("--", flag, "=", fd));
}

absl::Status KeepOpen(int fd) {
  if (fd < 0) return absl::OkStatus();
  int fl = ::fcntl(fd, F_GETFD);
  if (fl < 0 || ::fcntl(fd, F_SETFD, fl & ~FD_CLOEXEC) != 0) {
    return sys::ErrnoStatus(errno, "keep fd %d open for the supervisor", fd);
  }
  return absl::OkStatus();
}

}  // namespace

std::string SupervisorPath() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0) return "";
  std::string self(buf, static_cast<size_t>(n));
  return self.substr(0, self.rfind('/') + 1) + "cricket-monitor-supervise";
}

std::vector<std::string> SupervisorArgv(const std::string& path, const RunArgs& a,
                                        const Supervised& s, const Stdio& stdio,
                                        const LogWriter& log, const AttachServer& attach) {
  std::vector<std::string> argv = {path, "supervise", "--id=" + a.id,
                                   "--exit-file=" + a.exit_file,
                                   absl::StrCat("--init-pid=", s.init_pid)};
  if (!a.log_path.empty()) argv.push_back("--log=" + a.log_path);
  if (log.max_bytes() > 0) argv.push_back(absl::StrCat("--log-size-max=", log.max_bytes()));
  AddFd(&argv, "log-fd", log.fd());
  AddFd(&argv, "out-fd", stdio.out.get());
  AddFd(&argv, "err-fd", stdio.err.get());
  AddFd(&argv, "attach-dir-fd", attach.dir_fd());
  AddFd(&argv, "attach-fd", attach.listener_fd());
  AddFd(&argv, "stdin-fd", attach.stdin_fifo_fd());
  AddFd(&argv, "oom-fd", s.oom_fd);
  AddFd(&argv, "oom-parent-fd", s.oom_parent_fd);
  if (s.oom_parent_fd >= 0) argv.push_back(absl::StrCat("--oom-parent-base=", s.oom_parent_base));
  if (a.tty) argv.push_back("--tty");
  if (a.stdin) argv.push_back("--stdin");
  if (a.stdin_once) argv.push_back("--stdin-once");
  return argv;
}

absl::Status ExecSupervisor(const RunArgs& a, const Supervised& s, const Stdio& stdio,
                            const LogWriter& log, const AttachServer& attach) {
  std::string path = SupervisorPath();
  if (path.empty() || ::access(path.c_str(), X_OK) != 0) {
    return sys::ErrnoStatus(errno, "no supervisor at %s", path);
  }
  for (int fd : {log.fd(), stdio.out.get(), stdio.err.get(), attach.dir_fd(),
                 attach.listener_fd(), attach.stdin_fifo_fd(), s.oom_fd,
                 s.oom_parent_fd}) {
    RETURN_IF_ERROR(KeepOpen(fd));
  }
  std::vector<std::string> argv = SupervisorArgv(path, a, s, stdio, log, attach);
  std::vector<char*> cargv;
  for (auto& arg : argv) cargv.push_back(arg.data());
  cargv.push_back(nullptr);
  ::execv(path.c_str(), cargv.data());
  return sys::ErrnoStatus(errno, "exec %s", path);
}

}  // namespace cricket::pod::monitor
