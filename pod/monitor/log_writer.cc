// Appends CRI log lines; a short write is retried until the line is out so
// lines are never torn inside the file.
#include "pod/monitor/log_writer.h"

#include <fcntl.h>
#include <time.h>

#include <cerrno>

#include "cri/wire/cri_log.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::pod::monitor {

absl::Status LogWriter::Open() {
  if (path_.empty()) return absl::OkStatus();
  absl::StatusOr<sys::UniqueFd> fd = sys::Open(path_, O_WRONLY | O_APPEND | O_CREAT, 0640);
  if (!fd.ok()) return sys::Annotate(fd.status(), "log");
  fd_ = std::move(*fd);
  return absl::OkStatus();
}

absl::Status LogWriter::Write(std::string_view stream, std::string_view chunk) {
  if (!fd_ || chunk.empty()) return absl::OkStatus();
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  std::string out;
  cri::wire::EncodeCriLog(stream, chunk, ts, cri::wire::kDefaultMaxLogLine, &out);
  size_t off = 0;
  while (off < out.size()) {
    ssize_t n = ::write(fd_.get(), out.data() + off, out.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys::ErrnoStatus(errno, "write log %s", path_);
    off += static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

}  // namespace cricket::pod::monitor
