// Starts the process through oci::Runtime::Exec with cricketd's fds as its
// stdio (or a pty sent to cricketd), then waits for whichever comes first:
// the process ending, or EOF on the control socket, which kills its tree.
#include "pod/monitor/exec_stream.h"

#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "oci/runtime.h"
#include "pod/monitor/driver_config.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "pod/monitor/wait_status.h"

namespace cricket::pod::monitor {
namespace {

void Send(int fd, const nlohmann::json& j) {
  std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  size_t off = 0;
  while (off < line.size()) {
    ssize_t n = ::send(fd, line.data() + off, line.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // cricketd is gone; nobody is left to tell
    off += static_cast<size_t>(n);
  }
}

absl::StatusOr<pid_t> StartProcess(const ExecArgs& a) {
  ASSIGN_OR_RETURN(sys::UniqueFd null_fd, sys::Open("/dev/null", O_RDWR));
  oci::ExecOptions eo;
  eo.args = a.cmd;
  eo.tty = a.tty;
  eo.console_socket_fd = a.tty ? a.console_fd : -1;
  if (a.tty && a.console_width > 0 && a.console_height > 0) {
    eo.console_size = oci::ConsoleSize{static_cast<uint32_t>(a.console_height),
                                       static_cast<uint32_t>(a.console_width)};
  }
  int* dst[3] = {&eo.stdin_fd, &eo.stdout_fd, &eo.stderr_fd};
  for (int i = 0; i < 3; ++i) *dst[i] = a.stdio_fds[i] >= 0 ? a.stdio_fds[i] : null_fd.get();
  return driver::MakeDriver(DriverConfigOf(a))->Exec(a.id, eo);
}

// Children of every thread of pid, then theirs: the tree as it is now.
std::vector<pid_t> Descendants(pid_t root) {
  std::vector<pid_t> out, todo = {root};
  while (!todo.empty() && out.size() < 100000) {
    pid_t p = todo.back();
    todo.pop_back();
    std::string task_dir = absl::StrCat("/proc/", p, "/task");
    DIR* d = ::opendir(task_dir.c_str());
    if (d == nullptr) continue;
    while (struct dirent* e = ::readdir(d)) {
      if (e->d_name[0] == '.') continue;
      std::ifstream in(task_dir + "/" + e->d_name + "/children");
      pid_t child;
      while (in >> child) {
        out.push_back(child);
        todo.push_back(child);
      }
    }
    ::closedir(d);
  }
  return out;
}

// The process is a session leader (the engine setsid()s it), so its group
// takes the plain children; the walk takes those that made groups of their own.
void KillTree(pid_t pid) {
  std::vector<pid_t> tree = Descendants(pid);
  (void)sys::SignalPid(-pid, SIGKILL);
  (void)sys::SignalPid(pid, SIGKILL);
  for (pid_t p : tree) (void)sys::SignalPid(p, SIGKILL);
}

// Until the process ends; its exit code (128+N when killed by signal N).
int Supervise(pid_t pid, int control_fd) {
  sys::UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  bool killed = false;
  while (!killed && pidfd) {
    struct pollfd p[2] = {{pidfd.get(), POLLIN, 0}, {control_fd, POLLIN, 0}};
    int n = ::poll(p, 2, -1);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 || p[0].revents) break;
    char buf[256];
    ssize_t r = ::read(control_fd, buf, sizeof(buf));
    if (r < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (r <= 0) {  // cricketd closed the session or is gone
      KillTree(pid);
      killed = true;
    }
  }
  return ReapExitCode(pid);
}

}  // namespace

int ExecStream(const ExecArgs& a) {
  ::signal(SIGPIPE, SIG_IGN);
  absl::StatusOr<pid_t> pid = StartProcess(a);
  // Only the process keeps cricketd's stdio ends now, so they reach EOF with it.
  for (int fd : {a.stdio_fds[0], a.stdio_fds[1], a.stdio_fds[2], a.console_fd}) {
    if (fd >= 0) sys::UniqueFd closer(fd);
  }
  if (!pid.ok()) {
    Send(a.control_fd, {{"error", std::string(pid.status().message())},
                        {"code", static_cast<int>(pid.status().code())}});
    return 1;
  }
  Send(a.control_fd, {{"pid", *pid}});
  Send(a.control_fd, {{"exit_code", Supervise(*pid, a.control_fd)}});
  return 0;
}

}  // namespace cricket::pod::monitor
