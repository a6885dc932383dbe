// Files of the state dir (/run/cricket: bundles, monitor pid files, exit files)
// are written atomically but not fsynced: they only mean something during this
// boot, and the page cache already carries them across a crash of cricketd or
// the monitor. An fsync would only guard against power loss, after which the
// containers they describe are gone anyway. It costs milliseconds on a disk-backed
// /run, on the path of every CreateContainer and StopContainer.
// Header-only: cricket-monitor links no pod library.
#pragma once

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::pod {

// temp (named by pid and a counter, so threads and processes never share one)
// → write → [fsync] → rename, with no fsync of the directory. Readers see the
// old contents or the new. With fsync_file, a power loss too leaves the old
// file or the new one whole (the rename alone may be lost): enough for a file
// that is being replaced, whose name is already durable.
inline absl::Status WriteFileReplacing(const std::string& path, std::string_view contents,
                                       mode_t mode, bool fsync_file) {
  static std::atomic<unsigned> seq{0};
  std::string tmp = absl::StrCat(path, ".tmp-", ::getpid(), "-", seq++);
  ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open(tmp, O_WRONLY | O_CREAT | O_TRUNC, mode));
  absl::Status st;
  size_t off = 0;
  while (st.ok() && off < contents.size()) {
    ssize_t n = ::write(fd.get(), contents.data() + off, contents.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) st = sys::ErrnoStatus(errno, "write %s", tmp);
    if (n > 0) off += static_cast<size_t>(n);
  }
  // The umask may have narrowed the mode at creation.
  if (st.ok() && ::fchmod(fd.get(), mode) != 0) st = sys::ErrnoStatus(errno, "chmod %s", tmp);
  if (st.ok() && fsync_file && ::fsync(fd.get()) != 0) st = sys::ErrnoStatus(errno, "fsync %s", tmp);
  fd.Reset();
  if (st.ok() && ::rename(tmp.c_str(), path.c_str()) != 0) {
    st = sys::ErrnoStatus(errno, "rename %s to %s", tmp, path);
  }
  if (!st.ok()) ::unlink(tmp.c_str());
  return st;
}

// A file of the state dir: atomic, never fsynced (see above).
inline absl::Status WriteRuntimeFile(const std::string& path, std::string_view contents,
                                     mode_t mode = 0644) {
  return WriteFileReplacing(path, contents, mode, /*fsync_file=*/false);
}

}  // namespace cricket::pod
