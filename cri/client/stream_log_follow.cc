// Tail -f of a CRI log file, bounded by the container's exit.
#include "cri/client/stream_log_follow.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "cri/client/cri_log_reader.h"
#include "cri/client/stream_http.h"
#include "cri/wire/cri_log.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri::client {
namespace {

constexpr int kPollMs = 100;

// Everything appended since the last call.
absl::StatusOr<std::string> ReadMore(const std::string& path, sys::UniqueFd& fd) {
  if (!fd) {
    fd.Reset(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd && errno == ENOENT) return std::string();
    if (!fd) return sys::ErrnoStatus(errno, "open log %s", path);
  }
  std::string out;
  char buf[64 * 1024];
  while (true) {
    ssize_t n = read(fd.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys::ErrnoStatus(errno, "read log %s", path);
    if (n == 0) return out;
    out.append(buf, n);
  }
}

// Prints each whole line's message as the container wrote it: a partial
// ("P") piece without the newline the log line added.
absl::Status PrintLines(std::string& pending, const FollowOptions& o) {
  size_t pos = 0;
  for (size_t nl; (nl = pending.find('\n', pos)) != std::string::npos; pos = nl + 1) {
    auto line = wire::ParseCriLogLine(std::string_view(pending).substr(pos, nl - pos));
    if (!line.ok()) continue;
    if (!line->partial) line->content += '\n';
    RETURN_IF_ERROR(WriteAll(line->is_stderr() ? o.stderr_fd : o.stdout_fd, line->content));
  }
  pending.erase(0, pos);
  return absl::OkStatus();
}

}  // namespace

absl::Status FollowCriLog(const FollowOptions& o) {
  sys::UniqueFd fd;
  std::string pending;
  while (true) {
    // Ask before reading, so that nothing written before the exit is missed.
    ASSIGN_OR_RETURN(bool exited, o.exited());
    ASSIGN_OR_RETURN(std::string more, ReadMore(o.path, fd));
    pending += more;
    RETURN_IF_ERROR(PrintLines(pending, o));
    if (exited) return absl::OkStatus();
    pollfd p{o.signal_fd, POLLIN, 0};
    if (poll(&p, 1, kPollMs) > 0 && (p.revents & POLLIN)) {
      return absl::CancelledError("interrupted");
    }
  }
}

}  // namespace cricket::cri::client
