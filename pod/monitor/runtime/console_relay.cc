// The console socket relay: listen, accept the runtime's one connection,
// receive the master and send it on.
#include "pod/monitor/runtime/console_relay.h"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "oci/linux/terminal.h"
#include "oci/sys/status.h"
#include "pod/monitor/protocol/fd_passing.h"

namespace cricket::pod::driver {

absl::StatusOr<ConsoleRelay> ConsoleRelay::Listen() {
  ConsoleRelay r;
  ASSIGN_OR_RETURN(r.dir_, sys::TempDir::Make("cricket-console-", "/tmp"));
  r.path_ = r.dir_.Sub("sock");
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (r.path_.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError("console socket path too long: " + r.path_);
  }
  std::memcpy(addr.sun_path, r.path_.c_str(), r.path_.size());
  r.listener_.Reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!r.listener_) return sys::ErrnoStatus(errno, "console socket");
  if (::bind(r.listener_.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(r.listener_.get(), 1) != 0) {
    return sys::ErrnoStatus(errno, "listen on %s", r.path_);
  }
  return r;
}

absl::Status ConsoleRelay::Forward(int to, std::chrono::milliseconds timeout) {
  struct pollfd p = {listener_.get(), POLLIN, 0};
  int n;
  do {
    n = ::poll(&p, 1, static_cast<int>(timeout.count()));
  } while (n < 0 && errno == EINTR);
  if (n < 0) return sys::ErrnoStatus(errno, "poll %s", path_);
  if (n == 0) return absl::DeadlineExceededError("the runtime sent no pty master to " + path_);
  sys::UniqueFd conn(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn) return sys::ErrnoStatus(errno, "accept on %s", path_);
  ASSIGN_OR_RETURN(sys::UniqueFd master, ReceiveFd(conn.get(), timeout));
  return oci::linux::SendFd(to, master.get(), "/dev/ptmx");
}

}  // namespace cricket::pod::driver
