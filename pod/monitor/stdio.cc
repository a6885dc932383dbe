// Pipes, FIFO and console socket for the container's stdio.
#include "pod/monitor/stdio.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "oci/sys/status.h"
#include "pod/fd_passing.h"

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

absl::Status ConsolePair(Stdio& s) {
  int sv[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
    return sys::ErrnoStatus(errno, "console socket pair");
  }
  s.console.Reset(sv[0]);
  s.console_child.Reset(sv[1]);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Stdio> MakeStdio(const RunArgs& a) {
  Stdio s;
  RETURN_IF_ERROR(MakeStdin(a, s));
  if (a.tty) {
    RETURN_IF_ERROR(ConsolePair(s));
    return s;
  }
  RETURN_IF_ERROR(Pipe(&s.out, &s.child_out));
  RETURN_IF_ERROR(Pipe(&s.err, &s.child_err));
  return s;
}

absl::Status AcceptConsole(Stdio& s) {
  s.console_child.Reset();  // the container's init has its own copy
  ASSIGN_OR_RETURN(s.out, ReceiveFd(s.console.get(), std::chrono::seconds(10)));
  s.console.Reset();
  return absl::OkStatus();
}

}  // namespace cricket::pod::monitor
