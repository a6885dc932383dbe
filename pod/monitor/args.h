// cricket-monitor's command line: `run` supervises one container, `exec`
// runs one ExecSync command in a container and prints the result as JSON.
// `supervise` is what `run` execs into once the container exists (the lean
// cricket-monitor-supervise program): the same pid, with the fds it inherited.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::pod::monitor {

struct RunArgs {
  std::string id, bundle, oci_root;
  std::string log_path;   // CRI log file; "" = output discarded
  std::string exit_file;  // written atomically when init ends
  std::string pid_file;   // the monitor's own pid, once detached
  std::string attach_dir; // the stdin FIFO (and attach socket) live here when `stdin`
  int sync_fd = -1;       // one JSON line: {"pid":N,"monitor_pid":M} or {"error":"..."}
  // cricketd writes one byte here once the bundle is complete (it prepares
  // the rootfs and spec while we start up); EOF instead: give up. -1: no wait.
  int go_fd = -1;
  bool tty = false, stdin = false, stdin_once = false, systemd_cgroup = false;
  // An external runc-compatible runtime (--runtime=, --runtime-option= per
  // global flag; pod/monitor/runtime/driver.h); "" = the built-in engine.
  std::string runtime;
  std::vector<std::string> runtime_options;
  int64_t log_size_max = -1;  // runtime.log_size_max: bytes per log file; ≤ 0 = no cap
};

struct ExecArgs {
  std::string id, oci_root;
  bool systemd_cgroup = false;
  long timeout_ms = 0;  // 0 = none
  size_t max_output = 16 << 20;
  std::vector<std::string> cmd;
  // --stream (exec_stream.h): stdio are cricketd's fds (-1 = /dev/null), or a
  // pty whose master goes to console_fd; control_fd reports and cancels.
  bool stream = false, tty = false;
  int control_fd = -1, console_fd = -1;
  int console_width = 0, console_height = 0;  // the pty's size before exec (0: unset)
  int stdio_fds[3] = {-1, -1, -1};
  std::string runtime;  // as RunArgs::runtime
  std::vector<std::string> runtime_options;
};

// The supervising half: every fd below was inherited across execve.
struct SuperviseArgs {
  std::string id;
  std::string exit_file;
  std::string log_path;  // for reopening; "" = output discarded
  pid_t init_pid = 0;
  int log_fd = -1;         // the open CRI log (-1 with no log)
  int out_fd = -1;         // stdout pipe, or the pty master with a tty
  int err_fd = -1;         // stderr pipe (-1 with a tty)
  int attach_dir_fd = -1;  // O_PATH dir holding the attach socket
  int attach_fd = -1;      // the listening attach socket
  int stdin_fd = -1;       // writer kept on the stdin FIFO (no tty, stdin)
  int oom_fd = -1;         // memory.oom_control (v1) / memory.events (v2); -1 = unknown
  int oom_parent_fd = -1;  // the parent cgroup's memory.events (v2); -1 = none
  int64_t oom_parent_base = 0;  // its oom_kill count when the container was created
  bool tty = false, stdin = false, stdin_once = false;
  int64_t log_size_max = -1;  // as RunArgs
};

struct Args {
  enum class Mode { kRun, kExec, kSupervise } mode = Mode::kRun;
  RunArgs run;
  ExecArgs exec;
  SuperviseArgs supervise;
};

// argv[1] is the mode; flags are --name=value or bare --name; exec's command
// follows "--".
absl::StatusOr<Args> ParseArgs(int argc, char** argv);

}  // namespace cricket::pod::monitor
