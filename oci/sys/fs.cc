// mkdir -p and a mount-aware rm -rf built on openat/unlinkat.
#include "oci/sys/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::sys {
namespace {

absl::Status RemoveChildren(int dirfd, dev_t dev, const std::string& where);

absl::Status RemoveEntry(int parent, const char* name, dev_t dev, const std::string& where) {
  struct stat st;
  if (::fstatat(parent, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return ErrnoStatus(errno, "stat %s/%s", where, name);
  }
  std::string path = where + "/" + name;
  if (S_ISDIR(st.st_mode)) {
    if (st.st_dev != dev) {
      return absl::FailedPreconditionError(path + " is a mount point; unmount it first");
    }
    UniqueFd fd(::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return ErrnoStatus(errno, "open %s", path);
    RETURN_IF_ERROR(RemoveChildren(fd.get(), dev, path));
    if (::unlinkat(parent, name, AT_REMOVEDIR) != 0 && errno != ENOENT) {
      return ErrnoStatus(errno, "remove dir %s", path);
    }
    return absl::OkStatus();
  }
  if (::unlinkat(parent, name, 0) != 0 && errno != ENOENT) {
    return ErrnoStatus(errno, "remove %s", path);
  }
  return absl::OkStatus();
}

absl::Status RemoveChildren(int dirfd, dev_t dev, const std::string& where) {
  int dup = ::fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
  if (dup < 0) return ErrnoStatus(errno, "dup fd of %s", where);
  DIR* d = ::fdopendir(dup);
  if (d == nullptr) {
    int err = errno;
    UniqueFd closer(dup);
    return ErrnoStatus(err, "opendir %s", where);
  }
  absl::Status result;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n == "." || n == "..") continue;
    absl::Status st = RemoveEntry(dirfd, e->d_name, dev, where);
    if (!st.ok()) {
      result = st;
      break;
    }
  }
  ::closedir(d);
  return result;
}

}  // namespace

absl::Status MkdirAll(const std::string& path, mode_t mode) {
  if (path.empty()) return absl::InvalidArgumentError("mkdir: empty path");
  std::string cur;
  size_t pos = 0;
  while (pos != std::string::npos) {
    size_t next = path.find('/', pos + 1);
    cur = path.substr(0, next);
    pos = next;
    if (cur.empty() || cur == "/") continue;
    if (::mkdir(cur.c_str(), mode) != 0 && errno != EEXIST) {
      return ErrnoStatus(errno, "mkdir %s", cur);
    }
  }
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(errno, "stat %s", path);
  if (!S_ISDIR(st.st_mode)) return absl::FailedPreconditionError(path + " is not a directory");
  return absl::OkStatus();
}

absl::Status MkdirAllWithMode(const std::string& path, mode_t mode) {
  RETURN_IF_ERROR(MkdirAll(path, mode));
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return ErrnoStatus(errno, "stat %s", path);
  if ((st.st_mode & 07777) == mode) return absl::OkStatus();
  if (::chmod(path.c_str(), mode) != 0) return ErrnoStatus(errno, "chmod %s to %o", path, mode);
  return absl::OkStatus();
}

absl::Status RemoveAll(const std::string& path) {
  struct stat st;
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return absl::OkStatus();
    return ErrnoStatus(errno, "stat %s", path);
  }
  if (!S_ISDIR(st.st_mode)) {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus(errno, "remove %s", path);
    return absl::OkStatus();
  }
  {
    ASSIGN_OR_RETURN(UniqueFd fd, Open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW));
    RETURN_IF_ERROR(RemoveChildren(fd.get(), st.st_dev, path));
  }
  return RemoveDir(path);
}

absl::Status RemoveDir(const std::string& path) {
  if (::rmdir(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus(errno, "remove dir %s", path);
  return absl::OkStatus();
}

bool PathExists(const std::string& path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0;
}

absl::StatusOr<std::vector<std::string>> ListDir(const std::string& path) {
  DIR* d = ::opendir(path.c_str());
  if (d == nullptr) return ErrnoStatus(errno, "open dir %s", path);
  std::vector<std::string> out;
  while (struct dirent* e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n != "." && n != "..") out.emplace_back(n);
  }
  ::closedir(d);
  return out;
}

}  // namespace cricket::sys
