// Raw terminal mode and the signal self-pipe.
#include "cri/client/stream_terminal.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>

#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::cri::client {
namespace {

std::atomic<int> g_write_fd{-1};
std::atomic<int> g_last_signal{0};
constexpr int kInterrupts[] = {SIGINT, SIGTERM, SIGHUP};

void OnSignal(int signo) {
  int saved = errno;  // a handler must not disturb the interrupted code's errno
  char c = signo == SIGWINCH ? 'W' : 'T';
  if (signo != SIGWINCH) g_last_signal = signo;
  int fd = g_write_fd.load();
  if (fd >= 0) (void)!write(fd, &c, 1);
  errno = saved;
}

void SetHandler(int signo, void (*handler)(int)) {
  struct sigaction sa {};
  sa.sa_handler = handler;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(signo, &sa, nullptr);
}

}  // namespace

absl::StatusOr<std::unique_ptr<RawTerminal>> RawTerminal::Enter(int fd) {
  termios saved{};
  if (tcgetattr(fd, &saved) != 0) return sys::ErrnoStatus(errno, "tcgetattr on fd %d", fd);
  termios raw = saved;
  cfmakeraw(&raw);
  if (tcsetattr(fd, TCSANOW, &raw) != 0) return sys::ErrnoStatus(errno, "set raw mode");
  return std::unique_ptr<RawTerminal>(new RawTerminal(fd, saved));
}

RawTerminal::~RawTerminal() { tcsetattr(fd_, TCSANOW, &saved_); }

absl::StatusOr<std::unique_ptr<SignalPipe>> SignalPipe::Install(bool winch, bool interrupt) {
  ASSIGN_OR_RETURN(sys::PipeFds fds, sys::Pipe("signal", O_NONBLOCK));
  std::unique_ptr<SignalPipe> p(new SignalPipe());
  p->read_ = std::move(fds.read);
  p->write_ = std::move(fds.write);
  p->winch_ = winch;
  p->interrupt_ = interrupt;
  g_write_fd = p->write_.get();
  if (winch) SetHandler(SIGWINCH, OnSignal);
  if (interrupt) {
    for (int s : kInterrupts) SetHandler(s, OnSignal);
  }
  return p;
}

SignalPipe::~SignalPipe() {
  if (winch_) SetHandler(SIGWINCH, SIG_DFL);
  if (interrupt_) {
    for (int s : kInterrupts) SetHandler(s, SIG_DFL);
  }
  g_write_fd = -1;
}

int SignalPipe::last_signal() { return g_last_signal.load(); }

}  // namespace cricket::cri::client
