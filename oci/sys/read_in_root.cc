// O_PATH lookup inside the root → fstat → reopen through /proc/self/fd → bounded read.
#include "oci/sys/read_in_root.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

#include "absl/strings/str_cat.h"
#include "oci/sys/fds.h"
#include "oci/sys/safe_path.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::sys {
namespace {

const char* TypeName(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISLNK(mode)) return "a symlink";
  return "not a regular file";
}

// Reads at most max_bytes + 1 so that a file that grew after the fstat is
// still caught as too large instead of being cut short silently.
absl::StatusOr<std::string> ReadBounded(int fd, const std::string& name, size_t max_bytes) {
  std::string out;
  char buf[16 * 1024];
  for (;;) {
    size_t want = std::min(sizeof(buf), max_bytes + 1 - out.size());
    if (want == 0) {
      return absl::ResourceExhaustedError(
          absl::StrCat(name, " grew past ", max_bytes, " bytes while being read"));
    }
    ssize_t n = ::read(fd, buf, want);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return ErrnoStatus(errno, "read %s", name);
    if (n == 0) return out;
    out.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

absl::StatusOr<std::string> ReadRegularFileInRoot(int root_fd, std::string_view rel,
                                                  size_t max_bytes) {
  std::string name(rel);
  // O_PATH: the lookup opens nothing, so no device driver and no FIFO sees us.
  absl::StatusOr<UniqueFd> path = OpenInRoot(root_fd, rel, O_PATH);
  if (!path.ok()) {
    if (absl::IsNotFound(path.status())) return absl::NotFoundError(name + " does not exist");
    return path.status();
  }
  struct stat st;
  if (::fstat(path->get(), &st) != 0) return ErrnoStatus(errno, "stat %s", name);
  if (!S_ISREG(st.st_mode)) {
    return absl::FailedPreconditionError(
        absl::StrCat(name, " is ", TypeName(st.st_mode), ", not a regular file: refused"));
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(name, " is ", st.st_size,
                                                     " bytes, more than the ", max_bytes,
                                                     " allowed: refused"));
  }
  // The magic link names exactly the inode checked above, whatever happens to
  // the path meanwhile (O_NOFOLLOW would make it fail: it is a symlink itself).
  absl::StatusOr<UniqueFd> fd = Open(FdPath(path->get()), O_RDONLY | O_NOCTTY);
  if (!fd.ok()) return Annotate(fd.status(), "reopen %s for reading", name);
  return ReadBounded(fd->get(), name, max_bytes);
}

absl::StatusOr<std::string> ReadRegularFileInRoot(const std::string& root, std::string_view rel,
                                                  size_t max_bytes) {
  ASSIGN_OR_RETURN(UniqueFd root_fd, OpenRoot(root));
  absl::StatusOr<std::string> text = ReadRegularFileInRoot(root_fd.get(), rel, max_bytes);
  if (!text.ok()) return Annotate(text.status(), "root %s", root);
  return text;
}

}  // namespace cricket::sys
