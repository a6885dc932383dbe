// Pipes, FIFO and console socket for the container's stdio.
#include "pod/monitor/stdio.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <cstring>

#include "oci/sys/status.h"

namespace cricket::pod::monitor {
namespace {

absl::Status Pipe(sys::UniqueFd* r, sys::UniqueFd* w) {
  int p[2];
  if (::pipe2(p, O_CLOEXEC) != 0) return sys::ErrnoStatus(errno, "pipe");
  r->Reset(p[0]);
  w->Reset(p[1]);
  return absl::OkStatus();
}

absl::StatusOr<sys::UniqueFd> OpenFd(const std::string& path, int flags) {
  sys::UniqueFd fd(::open(path.c_str(), flags | O_CLOEXEC));
  if (!fd) return sys::ErrnoStatus(errno, "open %s", path);
  return fd;
}

absl::Status MakeStdin(const RunArgs& a, Stdio& s) {
  if (!a.stdin) {
    ASSIGN_OR_RETURN(s.child_in, OpenFd("/dev/null", O_RDONLY));
    return absl::OkStatus();
  }
  std::string dir = a.attach_dir.empty() ? a.bundle : a.attach_dir;
  std::string fifo = dir + "/stdin";
  if (::mkfifo(fifo.c_str(), 0600) != 0 && errno != EEXIST) {
    return sys::ErrnoStatus(errno, "mkfifo %s", fifo);
  }
  // O_RDWR never blocks on a FIFO and keeps a writer open.
  ASSIGN_OR_RETURN(s.in_keep, OpenFd(fifo, O_RDWR));
  ASSIGN_OR_RETURN(s.child_in, OpenFd(fifo, O_RDONLY | O_NONBLOCK));
  int fl = ::fcntl(s.child_in.get(), F_GETFL);
  if (fl < 0 || ::fcntl(s.child_in.get(), F_SETFL, fl & ~O_NONBLOCK) != 0) {
    return sys::ErrnoStatus(errno, "make %s blocking", fifo);
  }
  return absl::OkStatus();
}

absl::Status ListenConsole(const RunArgs& a, Stdio& s) {
  s.console_socket = a.bundle + "/console.sock";
  struct sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  if (s.console_socket.size() >= sizeof(addr.sun_path)) {
    return absl::InvalidArgumentError("console socket path too long: " + s.console_socket);
  }
  std::strncpy(addr.sun_path, s.console_socket.c_str(), sizeof(addr.sun_path) - 1);
  ::unlink(s.console_socket.c_str());
  s.console_listener.Reset(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!s.console_listener) return sys::ErrnoStatus(errno, "console socket");
  if (::bind(s.console_listener.get(), reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      ::listen(s.console_listener.get(), 1) != 0) {
    return sys::ErrnoStatus(errno, "listen on %s", s.console_socket);
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Stdio> MakeStdio(const RunArgs& a) {
  Stdio s;
  RETURN_IF_ERROR(MakeStdin(a, s));
  if (a.tty) {
    RETURN_IF_ERROR(ListenConsole(a, s));
    return s;
  }
  RETURN_IF_ERROR(Pipe(&s.out, &s.child_out));
  RETURN_IF_ERROR(Pipe(&s.err, &s.child_err));
  return s;
}

absl::Status AcceptConsole(Stdio& s) {
  struct pollfd p = {s.console_listener.get(), POLLIN, 0};
  if (::poll(&p, 1, 10000) <= 0) return absl::DeadlineExceededError("no pty from the container");
  sys::UniqueFd conn(::accept4(s.console_listener.get(), nullptr, nullptr, SOCK_CLOEXEC));
  if (!conn) return sys::ErrnoStatus(errno, "accept console connection");
  char data[256];
  char ctrl[CMSG_SPACE(sizeof(int))] = {};
  struct iovec iov = {data, sizeof(data)};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = ctrl;
  msg.msg_controllen = sizeof(ctrl);
  if (::recvmsg(conn.get(), &msg, MSG_CMSG_CLOEXEC) < 0) return sys::ErrnoStatus(errno, "recv pty");
  struct cmsghdr* c = CMSG_FIRSTHDR(&msg);
  if (c == nullptr || c->cmsg_type != SCM_RIGHTS) return absl::InternalError("no pty fd received");
  int fd;
  std::memcpy(&fd, CMSG_DATA(c), sizeof(fd));
  s.out.Reset(fd);
  s.console_listener.Reset();
  ::unlink(s.console_socket.c_str());
  return absl::OkStatus();
}

}  // namespace cricket::pod::monitor
