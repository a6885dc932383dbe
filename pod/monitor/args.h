// cricket-monitor's command line: `run` supervises one container, `exec`
// runs one ExecSync command in a container and prints the result as JSON.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::pod::monitor {

struct RunArgs {
  std::string id, bundle, oci_root;
  std::string log_path;   // CRI log file; "" = output discarded
  std::string exit_file;  // written atomically when init ends
  std::string pid_file;   // the monitor's own pid, once detached
  std::string attach_dir; // stdin FIFO lives here when `stdin` (attach: issue 7)
  int sync_fd = -1;       // one JSON line: {"pid":N,"monitor_pid":M} or {"error":"..."}
  bool tty = false, stdin = false, stdin_once = false, systemd_cgroup = false;
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
  int stdio_fds[3] = {-1, -1, -1};
};

struct Args {
  enum class Mode { kRun, kExec } mode = Mode::kRun;
  RunArgs run;
  ExecArgs exec;
};

// argv[1] is the mode; flags are --name=value or bare --name; exec's command
// follows "--".
absl::StatusOr<Args> ParseArgs(int argc, char** argv);

}  // namespace cricket::pod::monitor
