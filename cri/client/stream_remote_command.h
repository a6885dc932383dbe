// The client side of a remote command (exec or attach) as kubectl and crictl
// run it: dial the URL from the Exec/Attach RPC over SPDY or WebSocket, open
// the error/stdin/stdout/stderr/resize channels, copy local fds to and from
// them, send terminal sizes, and report the command's exit code.
#pragma once

#include <chrono>
#include <string_view>

#include "absl/status/statusor.h"
#include "cri/client/stream_mux.h"

namespace cricket::cri::client {

struct RemoteCommandOptions {
  StreamTransport transport = StreamTransport::kSpdy;
  // As asked in the Exec/Attach request; stderr is not used with a tty.
  bool stdin = false;
  bool stdout = true;
  bool stderr = true;
  bool tty = false;
  int stdin_fd = 0;
  int stdout_fd = 1;
  int stderr_fd = 2;
  // The local terminal whose size is sent (TIOCGWINSZ) at start and when
  // signal_fd says so; -1 for none.
  int size_fd = -1;
  // Readable when a signal arrived: each byte 'W' means the window changed,
  // any other byte asks to stop (the command keeps running remotely).
  int signal_fd = -1;
  std::chrono::milliseconds dial_timeout{10000};
};

// The remote exit code (0 on success); an error when the stream broke or the
// server reported a failure other than an exit code; Cancelled when asked to
// stop through signal_fd.
absl::StatusOr<int> RunRemoteCommand(std::string_view url, const RemoteCommandOptions& options);

// Protocols offered for remote commands, best first.
const std::vector<std::string>& RemoteCommandProtocols(StreamTransport transport);

}  // namespace cricket::cri::client
