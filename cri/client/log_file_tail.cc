// See log_file_tail.h.
#include "cri/client/log_file_tail.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include "oci/sys/status.h"

namespace cricket::cri::client {

absl::Status LogFileTail::OpenPath(bool* missing) {
  sys::UniqueFd fd(open(path_.c_str(), O_RDONLY | O_CLOEXEC));
  *missing = !fd && errno == ENOENT;
  if (*missing) return absl::OkStatus();
  if (!fd) return sys::ErrnoStatus(errno, "open log %s", path_);
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return sys::ErrnoStatus(errno, "stat log %s", path_);
  fd_ = std::move(fd);
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  return absl::OkStatus();
}

absl::Status LogFileTail::Drain(std::string& out) {
  struct stat st;
  if (fstat(fd_.get(), &st) == 0 && lseek(fd_.get(), 0, SEEK_CUR) > st.st_size) {
    lseek(fd_.get(), 0, SEEK_SET);  // truncated in place
  }
  char buf[64 * 1024];
  while (true) {
    ssize_t n = read(fd_.get(), buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys::ErrnoStatus(errno, "read log %s", path_);
    if (n == 0) return absl::OkStatus();
    out.append(buf, static_cast<size_t>(n));
  }
}

absl::StatusOr<std::string> LogFileTail::ReadMore() {
  std::string out;
  bool missing = false;
  if (!fd_) {
    RETURN_IF_ERROR(OpenPath(&missing));
    if (missing) return out;
  }
  RETURN_IF_ERROR(Drain(out));
  struct stat st;
  // Renamed away and not yet replaced: the old file is still the one written.
  if (stat(path_.c_str(), &st) != 0 || (st.st_dev == dev_ && st.st_ino == ino_)) return out;
  // A new file at the path: the writer has moved to it, so what the old one
  // holds now is all it will ever hold.
  RETURN_IF_ERROR(Drain(out));
  RETURN_IF_ERROR(OpenPath(&missing));
  if (!missing) RETURN_IF_ERROR(Drain(out));
  return out;
}

}  // namespace cricket::cri::client
