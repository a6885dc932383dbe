// What the streaming server (cri/streaming) relays for Exec and Attach: a
// process's stdio as file descriptors, plus resize, stdin close and wait.
// The pod layer makes them (ContainerManager::ExecStream / Attach); the
// server copies bytes between them and the client's SPDY or WebSocket streams.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::pod {

struct StreamOptions {
  bool stdin = false;
  bool stdout = true;
  bool stderr = true;  // ignored with tty: the terminal merges both
  bool tty = false;
  // The terminal's size when the process starts (0: unknown), so a program
  // that reads it at once (stty size) never sees 0x0 before the first resize.
  uint16_t width = 0, height = 0;
};

class StreamSession {
 public:
  virtual ~StreamSession() = default;
  // -1 when the stream was not asked for. With a tty, in_fd() and out_fd()
  // may be the same fd (the pty master) and err_fd() is -1. out_fd/err_fd
  // reach EOF (or EIO for a pty) once the process side has closed them.
  virtual int in_fd() const = 0;
  virtual int out_fd() const = 0;
  virtual int err_fd() const = 0;
  // EOF to the process's stdin (the client closed its stdin stream).
  virtual absl::Status CloseStdin() = 0;
  // Terminal size; FailedPrecondition without a tty.
  virtual absl::Status Resize(uint16_t width, uint16_t height) = 0;
  // Exec: blocks until the process ends; its exit code (128+N when killed by
  // signal N). Attach: blocks until the container's init ends or Close().
  virtual absl::StatusOr<int> Wait() = 0;
  // Exec: kills the exec'd process tree. Attach: detaches, the container runs on.
  virtual void Close() = 0;
};

}  // namespace cricket::pod
