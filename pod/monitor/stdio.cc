// Pipes, FIFO and console socket for the container's stdio.
#include "pod/monitor/stdio.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "pod/monitor/protocol/fd_passing.h"

namespace cricket::pod::monitor {
namespace {

absl::Status MakeStdin(const RunArgs& a, Stdio& s) {
  if (!a.stdin) {
    ASSIGN_OR_RETURN(s.child_in, sys::Open("/dev/null", O_RDONLY));
    return absl::OkStatus();
  }
  std::string dir = a.attach_dir.empty() ? a.bundle : a.attach_dir;
  std::string fifo = dir + "/stdin";
  if (::mkfifo(fifo.c_str(), 0600) != 0 && errno != EEXIST) {
    return sys::ErrnoStatus(errno, "mkfifo %s", fifo);
  }
  // O_RDWR never blocks on a FIFO and keeps a writer open.
  ASSIGN_OR_RETURN(s.in_keep, sys::Open(fifo, O_RDWR));
  ASSIGN_OR_RETURN(s.child_in, sys::Open(fifo, O_RDONLY | O_NONBLOCK));
  int fl = ::fcntl(s.child_in.get(), F_GETFL);
  if (fl < 0 || ::fcntl(s.child_in.get(), F_SETFL, fl & ~O_NONBLOCK) != 0) {
    return sys::ErrnoStatus(errno, "make %s blocking", fifo);
  }
  return absl::OkStatus();
}

absl::Status ConsolePair(Stdio& s) {
  ASSIGN_OR_RETURN(sys::SocketPairFds sv, sys::SocketPair(SOCK_STREAM, "console"));
  s.console = std::move(sv.first);
  s.console_child = std::move(sv.second);
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
  ASSIGN_OR_RETURN(sys::PipeFds out, sys::Pipe("container stdout"));
  ASSIGN_OR_RETURN(sys::PipeFds err, sys::Pipe("container stderr"));
  s.out = std::move(out.read);
  s.child_out = std::move(out.write);
  s.err = std::move(err.read);
  s.child_err = std::move(err.write);
  return s;
}

absl::Status AcceptConsole(Stdio& s) {
  s.console_child.Reset();  // the container's init has its own copy
  ASSIGN_OR_RETURN(s.out, ReceiveFd(s.console.get(), std::chrono::seconds(10)));
  s.console.Reset();
  return absl::OkStatus();
}

}  // namespace cricket::pod::monitor
