// openat2(RESOLVE_IN_ROOT) wrappers. Kernels before 5.6 lack openat2; cricket
// requires it (Debian 12 ships 6.1) and says so instead of walking unsafely.
#include "oci/sys/safe_path.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::sys {
namespace {

int Openat2(int dirfd, const char* path, uint64_t flags, uint64_t mode, uint64_t resolve) {
  struct open_how how = {};
  how.flags = flags;
  how.mode = mode;
  how.resolve = resolve;
  for (;;) {
    int fd = static_cast<int>(::syscall(SYS_openat2, dirfd, path, &how, sizeof how));
    if (fd >= 0 || errno != EAGAIN) return fd;  // EAGAIN: a rename raced; retry.
  }
}

constexpr uint64_t kResolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;

}  // namespace

std::vector<std::string> SplitPath(std::string_view rel) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < rel.size()) {
    size_t j = rel.find('/', i);
    if (j == std::string_view::npos) j = rel.size();
    std::string_view part = rel.substr(i, j - i);
    if (!part.empty() && part != ".") parts.emplace_back(part);
    i = j + 1;
  }
  return parts;
}

absl::StatusOr<UniqueFd> OpenRoot(const std::string& path) {
  absl::StatusOr<UniqueFd> fd = Open(path, O_RDONLY | O_DIRECTORY);
  if (!fd.ok()) return Annotate(fd.status(), "root");
  return fd;
}

absl::StatusOr<UniqueFd> OpenInRoot(int root_fd, std::string_view rel, int flags, mode_t mode) {
  // Relative to the root fd; "" (the root itself) is ".".
  size_t start = rel.find_first_not_of('/');
  std::string p = start == std::string_view::npos ? std::string(1, '.')
                                                  : std::string(rel.substr(start));
  int fd = Openat2(root_fd, p.c_str(), static_cast<uint64_t>(flags | O_CLOEXEC),
                   (flags & (O_CREAT | O_TMPFILE)) ? mode : 0, kResolve);
  if (fd < 0) return ErrnoStatus(errno, "open %s inside root", std::string(rel));
  return UniqueFd(fd);
}

absl::StatusOr<UniqueFd> MkdirAllInRootDepth(int root_fd, std::string_view rel, mode_t mode,
                                             int depth);

namespace {

// When a component is a symlink whose target does not exist yet, the target
// is created (inside the root) as runc's securejoin does for mount points.
absl::Status MkdirSymlinkTarget(int root_fd, int dir_fd, const std::string& part,
                                const std::string& parent_walked, mode_t mode, int depth) {
  char buf[4096];
  ssize_t n = ::readlinkat(dir_fd, part.c_str(), buf, sizeof buf - 1);
  if (n < 0) return ErrnoStatus(errno, "readlink %s/%s inside root", parent_walked, part);
  std::string target(buf, static_cast<size_t>(n));
  std::string resolved = target.front() == '/' ? target : parent_walked + "/" + target;
  if (depth > 40) return ErrnoStatus(ELOOP, "resolve %s inside root", resolved);
  return MkdirAllInRootDepth(root_fd, resolved, mode, depth + 1).status();
}

}  // namespace

absl::StatusOr<UniqueFd> MkdirAllInRoot(int root_fd, std::string_view rel, mode_t mode) {
  return MkdirAllInRootDepth(root_fd, rel, mode, 0);
}

absl::StatusOr<UniqueFd> MkdirAllInRootDepth(int root_fd, std::string_view rel, mode_t mode,
                                             int depth) {
  int dup = ::fcntl(root_fd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) return ErrnoStatus(errno, "dup root fd");
  UniqueFd cur(dup);
  std::string walked;
  for (const std::string& part : SplitPath(rel)) {
    absl::StrAppend(&walked, "/", part);
    // Resolve each step from the root again so ".." and symlinks stay confined.
    std::string from_root = walked.substr(1);
    int fd = Openat2(root_fd, from_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, kResolve);
    if (fd < 0 && errno == ENOENT) {
      if (::mkdirat(cur.get(), part.c_str(), mode) != 0 && errno != EEXIST) {
        return ErrnoStatus(errno, "mkdir %s inside root", walked);
      }
      fd = Openat2(root_fd, from_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, kResolve);
      if (fd < 0 && errno == ENOENT) {
        std::string parent = walked.substr(0, walked.size() - part.size() - 1);
        RETURN_IF_ERROR(MkdirSymlinkTarget(root_fd, cur.get(), part, parent, mode, depth));
        fd = Openat2(root_fd, from_root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0, kResolve);
      }
    }
    if (fd < 0) return ErrnoStatus(errno, "open dir %s inside root", walked);
    cur.Reset(fd);
  }
  return cur;
}

std::string FdPath(int fd) { return absl::StrCat("/proc/self/fd/", fd); }

}  // namespace cricket::sys
