// Atomic write and whole-file read.
#include "oci/sys/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <random>

#include "absl/strings/str_cat.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::sys {
namespace {

std::string DirOf(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

absl::Status WriteAll(int fd, std::string_view data, const std::string& what) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "write %s", what);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status SyncDir(const std::string& dir) {
  ASSIGN_OR_RETURN(UniqueFd fd, Open(dir, O_RDONLY | O_DIRECTORY));
  if (::fsync(fd.get()) != 0) return ErrnoStatus(errno, "fsync dir %s", dir);
  return absl::OkStatus();
}

absl::Status WriteFileAtomic(const std::string& path, std::string_view contents, mode_t mode,
                             Durability durability) {
  const bool sync = durability == Durability::kDurable;
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string tmp = absl::StrCat(path, ".tmp-", rng() % 1000000000);
  ASSIGN_OR_RETURN(UniqueFd fd, Open(tmp, O_WRONLY | O_CREAT | O_EXCL, mode));
  absl::Status st = WriteAll(fd.get(), contents, tmp);
  if (st.ok() && ::fchmod(fd.get(), mode) != 0) st = ErrnoStatus(errno, "chmod %s", tmp);
  if (st.ok() && sync && ::fsync(fd.get()) != 0) st = ErrnoStatus(errno, "fsync %s", tmp);
  fd.Reset();
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    st = ErrnoStatus(errno, "rename %s to %s", tmp, path);
  }
  if (!st.ok()) {
    ::unlink(tmp.c_str());
    return st;
  }
  return sync ? SyncDir(DirOf(path)) : absl::OkStatus();
}

absl::StatusOr<std::string> ReadFd(int fd, const std::string& what) {
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "read %s", what);
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  ASSIGN_OR_RETURN(UniqueFd fd, Open(path, O_RDONLY));
  return ReadFd(fd.get(), path);
}

}  // namespace cricket::sys
