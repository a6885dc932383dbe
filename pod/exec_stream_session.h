// Streaming exec (cri/streaming's Exec) from cricketd's side: spawns
// `cricket-monitor exec --stream` with the session's pipes (or a console
// socket that brings back the pty master) and talks to it over a control
// socket; see pod/monitor/exec_stream.h for the protocol.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pod/stream_session.h"

namespace cricket::pod {

struct ExecStreamRequest {
  std::string monitor_path, oci_root, id;
  bool systemd_cgroup = false;
  std::vector<std::string> runtime_flags;  // as MonitorRequest's
  std::vector<std::string> cmd;
  StreamOptions opts;
  std::chrono::milliseconds start_timeout = std::chrono::seconds(60);
  // How long Close() waits for the killed process before giving up on it.
  std::chrono::milliseconds kill_grace = std::chrono::seconds(10);
};

// The helper's command line for a request and its fds (exposed for tests).
std::vector<std::string> ExecStreamArgv(const ExecStreamRequest& r, int control_fd,
                                        int console_fd, const int stdio_fds[3]);

// Returns once the process runs (or with the engine's error, which names the
// container). The session's behaviour:
// - without tty: in_fd/out_fd/err_fd are pipe ends (-1 when not asked for);
//   out/err reach EOF when the process and every child holding them are gone.
// - with tty: in_fd() == out_fd() == the pty master (in_fd -1 without stdin,
//   out_fd -1 without stdout), err_fd -1; reads fail with EIO once the
//   process side closed. CloseStdin writes ^D (EOT) to the terminal.
// - CloseStdin without tty swaps the pipe's write end for /dev/null: the fd
//   number stays valid (writes are dropped) and the process reads EOF.
// - Wait: the exit code; 128+N when killed by signal N (137 after Close).
// - Close: SIGKILL to the process, its process group and its descendants,
//   then reaps the helper. Idempotent; fds stay open until destruction.
absl::StatusOr<std::unique_ptr<StreamSession>> StartExecStream(const ExecStreamRequest& r);

}  // namespace cricket::pod
