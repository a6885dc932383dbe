// The local side of an interactive session: the terminal in raw mode for as
// long as a remote tty is attached (restored on every way out), and a
// self-pipe that signal handlers write to so the poll loops see signals
// (SIGWINCH → 'W'; SIGINT/SIGTERM/SIGHUP → 'T').
#pragma once

#include <termios.h>

#include <memory>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri::client {

class RawTerminal {
 public:
  // Raw mode on fd (a terminal); restores the saved mode when destroyed.
  static absl::StatusOr<std::unique_ptr<RawTerminal>> Enter(int fd);
  ~RawTerminal();
  RawTerminal(const RawTerminal&) = delete;
  RawTerminal& operator=(const RawTerminal&) = delete;

 private:
  RawTerminal(int fd, const termios& saved) : fd_(fd), saved_(saved) {}
  int fd_;
  termios saved_;
};

// One per process at a time; the destructor puts the old handlers back.
class SignalPipe {
 public:
  static absl::StatusOr<std::unique_ptr<SignalPipe>> Install(bool winch, bool interrupt);
  ~SignalPipe();
  SignalPipe(const SignalPipe&) = delete;
  SignalPipe& operator=(const SignalPipe&) = delete;
  int fd() const { return read_.get(); }
  // The last interrupting signal seen (0: none): callers exit 128+signo.
  static int last_signal();

 private:
  SignalPipe() = default;
  sys::UniqueFd read_, write_;
  bool winch_ = false, interrupt_ = false;
};

}  // namespace cricket::cri::client
