// Attach (cri/streaming's Attach) from cricketd's side: connections to the
// container monitor's attach socket, one per stream (pod/attach_protocol.h).
// The container's log goes on undisturbed; Close() detaches and the
// container runs on. Works for containers recovered after a restart, as the
// monitor and its socket outlive cricketd.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "pod/stream_session.h"

namespace cricket::pod {

struct AttachRequest {
  std::string id;
  std::string attach_dir;  // where the monitor listens (the bundle dir)
  bool container_tty = false, container_stdin = false;
  StreamOptions opts;
};

// The session's behaviour:
// - every fd is its own unix stream socket; the layout follows the
//   container's tty (opts.tty is not needed to match): with a tty, out_fd
//   carries the terminal's output and err_fd is -1.
// - out_fd/err_fd give output from the moment of attaching, and reach EOF
//   once the container's init ended (after its last output) or after Close().
// - in_fd: bytes to the container's stdin. CloseStdin() shuts its write side;
//   with stdin_once the monitor then closes the container's stdin (^D with a
//   tty). FailedPrecondition when stdin is asked for a container without it.
// - Resize: FailedPrecondition unless the container has a tty.
// - Wait: init's exit code (128+N for signal N) once it ended; Cancelled
//   after Close(); Unavailable if the monitor went away.
// - Close: shuts every connection down (detaches; with stdin_once that closes
//   the container's stdin, as conmon does). Fds stay open until destruction.
absl::StatusOr<std::unique_ptr<StreamSession>> AttachToMonitor(const AttachRequest& r);

}  // namespace cricket::pod
