// Tail -f of a CRI log file (across rotations), bounded by the container's exit.
#include "cri/client/stream_log_follow.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>

#include "cri/client/cri_log_reader.h"
#include "cri/client/log_file_tail.h"
#include "cri/client/stream_http.h"
#include "cri/wire/cri_log.h"
#include "oci/sys/status.h"

namespace cricket::cri::client {
namespace {

constexpr int kPollMs = 100;

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
  LogFileTail tail(o.path);
  std::string pending;
  while (true) {
    // Ask before reading, so that nothing written before the exit is missed.
    ASSIGN_OR_RETURN(bool exited, o.exited());
    ASSIGN_OR_RETURN(std::string more, tail.ReadMore());
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
