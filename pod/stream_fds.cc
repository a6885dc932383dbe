// fd plumbing for streaming sessions; see stream_fds.h.
#include "pod/stream_fds.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::pod {

absl::Status SetTerminalSize(int master, uint16_t width, uint16_t height) {
  struct winsize ws = {};
  ws.ws_col = width;
  ws.ws_row = height;
  if (::ioctl(master, TIOCSWINSZ, &ws) != 0) return sys::ErrnoStatus(errno, "set terminal size");
  return absl::OkStatus();
}

absl::StatusOr<sys::UniqueFd> ConnectUnixIn(const std::string& dir, const std::string& name) {
  ASSIGN_OR_RETURN(sys::UniqueFd dfd, sys::Open(dir, O_PATH | O_DIRECTORY));
  std::string path = absl::StrCat("/proc/self/fd/", dfd.get(), "/", name);
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError("socket name too long: " + name);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  sys::UniqueFd fd(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return sys::ErrnoStatus(errno, "socket");
  int rc;
  do {
    rc = ::connect(fd.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  } while (rc != 0 && errno == EINTR);
  if (rc != 0) return sys::ErrnoStatus(errno, "connect to %s/%s", dir, name);
  return fd;
}

absl::Status WriteAll(int fd, const std::string& data) {
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::send(fd, data.data() + off, data.size() - off, MSG_NOSIGNAL);
    if (n < 0 && errno == ENOTSOCK) n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys::ErrnoStatus(errno, "write");
    off += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

}  // namespace cricket::pod
