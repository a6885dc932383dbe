// pty creation inside the container and handing the master to the caller.
#include "oci/linux/terminal.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::oci::linux {

absl::StatusOr<sys::UniqueFd> ConnectConsoleSocket(const std::string& path) {
  sys::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return sys::ErrnoStatus(errno, "socket for console socket");
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path) {
    return absl::InvalidArgumentError("console socket path too long: " + path);
  }
  memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    return sys::ErrnoStatus(errno, "connect to console socket %s", path);
  }
  return fd;
}

absl::Status SendFd(int sock, int fd, const std::string& name) {
  char cbuf[CMSG_SPACE(sizeof(int))] = {};
  struct iovec iov = {const_cast<char*>(name.data()), name.size()};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = cbuf;
  msg.msg_controllen = sizeof cbuf;
  struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof fd);
  if (::sendmsg(sock, &msg, MSG_NOSIGNAL) < 0) return sys::ErrnoStatus(errno, "send pty master");
  return absl::OkStatus();
}

absl::Status SetupTerminal(int console_fd, const std::optional<ConsoleSize>& size) {
  absl::StatusOr<sys::UniqueFd> ptmx = sys::Open("/dev/ptmx", O_RDWR | O_NOCTTY);
  if (!ptmx.ok()) return sys::Annotate(ptmx.status(), "in the container");
  sys::UniqueFd master = std::move(*ptmx);
  if (::unlockpt(master.get()) != 0) return sys::ErrnoStatus(errno, "unlockpt");
  // TIOCGPTPEER opens the slave through the master, immune to a swapped /dev/pts.
  sys::UniqueFd slave(::ioctl(master.get(), TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave) return sys::ErrnoStatus(errno, "open pty slave");
  if (size && size->height > 0 && size->width > 0) {
    struct winsize ws = {};
    ws.ws_row = static_cast<unsigned short>(size->height);
    ws.ws_col = static_cast<unsigned short>(size->width);
    if (::ioctl(slave.get(), TIOCSWINSZ, &ws) != 0)
      return sys::ErrnoStatus(errno, "set console size");
  }
  RETURN_IF_ERROR(SendFd(console_fd, master.get(), "/dev/ptmx"));
  if (::ioctl(slave.get(), TIOCSCTTY, 0) != 0)
    return sys::ErrnoStatus(errno, "set controlling tty");
  for (int i = 0; i < 3; i++) {
    if (::dup3(slave.get(), i, 0) < 0) return sys::ErrnoStatus(errno, "dup pty onto fd %d", i);
  }
  return absl::OkStatus();
}

}  // namespace cricket::oci::linux
