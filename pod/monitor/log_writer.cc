// Appends CRI log lines; a short write is retried until the line is out so
// lines are never torn inside the file. A cap or a failed write stops the
// writer until the next reopen instead of warning once per chunk (a full
// disk used to add a line to the monitor's log for every read).
#include "pod/monitor/log_writer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include <algorithm>
#include <cerrno>

#include "absl/strings/str_cat.h"
#include "cri/wire/cri_log.h"
#include "oci/sys/fds.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::pod::monitor {

absl::Status LogWriter::Open() {
  if (path_.empty()) return absl::OkStatus();
  absl::StatusOr<sys::UniqueFd> fd = sys::Open(path_, O_WRONLY | O_APPEND | O_CREAT, 0640);
  if (!fd.ok()) return sys::Annotate(fd.status(), "log");
  fd_ = std::move(*fd);
  StartCounting();
  return absl::OkStatus();
}

void LogWriter::Adopt(sys::UniqueFd fd) {
  fd_ = std::move(fd);
  StartCounting();
}

void LogWriter::StartCounting() {
  struct stat st;
  written_ = fd_ && ::fstat(fd_.get(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
  stopped_ = false;
}

void LogWriter::Stop(std::string_view why, const std::string& error) {
  stopped_ = true;
  sys::LogWarn(why, {{"path", path_},
                     {"error", error},
                     {"resumes", "when the log is reopened (ReopenContainerLog)"}});
}

void LogWriter::Write(std::string_view stream, std::string_view chunk) {
  if (!fd_ || chunk.empty() || stopped_) return;
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  std::string out;
  cri::wire::EncodeCriLog(stream, chunk, ts, cri::wire::kDefaultMaxLogLine, &out);
  bool capped = max_bytes_ > 0 && written_ + static_cast<int64_t>(out.size()) > max_bytes_;
  if (capped) {  // the whole CRI lines that still fit, then stop
    size_t room = static_cast<size_t>(std::max<int64_t>(0, max_bytes_ - written_));
    size_t end = room == 0 ? std::string::npos : out.rfind('\n', room - 1);
    out.resize(end == std::string::npos ? 0 : end + 1);
  }
  WriteAll(out);
  if (capped && !stopped_) {
    Stop("container log reached its size cap: output dropped",
         absl::StrCat("log_size_max ", max_bytes_, " bytes"));
  }
}

void LogWriter::WriteAll(std::string_view out) {
  size_t off = 0;
  while (off < out.size()) {
    ssize_t n = ::write(fd_.get(), out.data() + off, out.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Stop("container log write failed: output dropped",
           std::string(sys::ErrnoStatus(errno, "write").message()));
      break;
    }
    off += static_cast<size_t>(n);
  }
  written_ += static_cast<int64_t>(off);
}

}  // namespace cricket::pod::monitor
