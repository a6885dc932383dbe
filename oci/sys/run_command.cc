// RunCommand: spawn, feed stdin, collect stdout/stderr under a deadline.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>

#include "absl/strings/str_join.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::sys {
namespace {

// Reads what is there into `out` (up to cap); false at EOF.
bool Drain(int fd, std::string& out, size_t cap) {
  char buf[65536];
  ssize_t n = ::read(fd, buf, sizeof buf);
  if (n < 0) return errno == EINTR || errno == EAGAIN;
  if (n == 0) return false;
  size_t room = out.size() < cap ? cap - out.size() : 0;
  out.append(buf, std::min(room, static_cast<size_t>(n)));
  return true;
}

}  // namespace

absl::StatusOr<CommandResult> RunCommand(const SpawnOptions& opts, const std::string& input,
                                         std::chrono::milliseconds timeout, size_t max_output) {
  ASSIGN_OR_RETURN(PipeFds in, Pipe("command stdin"));
  ASSIGN_OR_RETURN(PipeFds out, Pipe("command stdout"));
  ASSIGN_OR_RETURN(PipeFds err, Pipe("command stderr"));
  SpawnOptions o = opts;
  o.stdin_fd = in.read.get();
  o.stdout_fd = out.write.get();
  o.stderr_fd = err.write.get();
  ASSIGN_OR_RETURN(ChildProcess child, ChildProcess::Spawn(o));
  in.read.Reset();
  out.write.Reset();
  err.write.Reset();
  ::fcntl(in.write.get(), F_SETFL, O_NONBLOCK);
  signal(SIGPIPE, SIG_IGN);  // A child that exits early must not kill us.
  size_t written = 0;
  if (input.empty()) in.write.Reset();
  CommandResult res;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  bool out_open = true, err_open = true;
  while (out_open || err_open) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      (void)child.Signal(SIGKILL);
      (void)child.Wait();
      return absl::DeadlineExceededError(absl::StrFormat(
          "%s did not finish within %dms", absl::StrJoin(opts.argv, " "), timeout.count()));
    }
    struct pollfd p[3] = {{out_open ? out.read.get() : -1, POLLIN, 0},
                          {err_open ? err.read.get() : -1, POLLIN, 0},
                          {in.write ? in.write.get() : -1, POLLOUT, 0}};
    int r = ::poll(p, 3, static_cast<int>(left.count()));
    if (r < 0 && errno != EINTR) return ErrnoStatus(errno, "poll");
    if (r <= 0) continue;
    if (p[0].revents) out_open = Drain(out.read.get(), res.out, max_output);
    if (p[1].revents) err_open = Drain(err.read.get(), res.err, max_output);
    if (p[2].revents & (POLLERR | POLLHUP)) {
      in.write.Reset();
    } else if (p[2].revents & POLLOUT) {
      ssize_t n = ::write(in.write.get(), input.data() + written, input.size() - written);
      if (n > 0) written += static_cast<size_t>(n);
      if (n < 0 && errno != EAGAIN && errno != EINTR) in.write.Reset();
      if (written == input.size()) in.write.Reset();
    }
  }
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  auto ex = child.WaitFor(std::max(left, std::chrono::milliseconds(1)));
  if (!ex.ok()) {
    (void)child.Signal(SIGKILL);
    (void)child.Wait();
    return absl::DeadlineExceededError(absl::StrFormat(
        "%s did not finish within %dms", absl::StrJoin(opts.argv, " "), timeout.count()));
  }
  res.exit = *ex;
  return res;
}

}  // namespace cricket::sys
