// Writing the checkpoint archive (see checkpoint_archive.h) with libarchive.
#include "pod/checkpoint_archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fds.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"

namespace cricket::pod {
namespace {

using ArchivePtr = std::unique_ptr<struct archive, int (*)(struct archive*)>;

absl::Status ArchiveError(struct archive* a, const std::string& what) {
  return absl::InternalError(absl::StrCat(what, ": ", archive_error_string(a)));
}

absl::StatusOr<ArchivePtr> OpenTar(const std::string& path) {
  ArchivePtr a(archive_write_new(), archive_write_free);
  archive_write_set_format_pax_restricted(a.get());
  if (archive_write_open_filename(a.get(), path.c_str()) != ARCHIVE_OK) {
    return ArchiveError(a.get(), "open " + path);
  }
  return a;
}

// One entry: metadata from lstat, data for a regular file, target for a link.
absl::Status AddEntry(struct archive* a, const std::string& path, const std::string& name,
                      const struct stat& st) {
  std::unique_ptr<archive_entry, void (*)(archive_entry*)> e(archive_entry_new(),
                                                             archive_entry_free);
  archive_entry_copy_stat(e.get(), &st);
  archive_entry_set_pathname(e.get(), name.c_str());
  if (S_ISLNK(st.st_mode)) {
    char target[4096];
    ssize_t n = ::readlink(path.c_str(), target, sizeof target - 1);
    if (n < 0) return sys::ErrnoStatus(errno, "readlink %s", path);
    target[n] = 0;
    archive_entry_set_symlink(e.get(), target);
  }
  if (archive_write_header(a, e.get()) != ARCHIVE_OK) return ArchiveError(a, "tar " + path);
  if (!S_ISREG(st.st_mode)) return absl::OkStatus();
  ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open(path, O_RDONLY | O_NOFOLLOW));
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys::ErrnoStatus(errno, "read %s", path);
    if (n == 0) return absl::OkStatus();
    if (archive_write_data(a, buf, n) < 0) return ArchiveError(a, "tar " + path);
  }
}

struct Walk {
  struct archive* tar;
  const std::set<std::string>* skip;    // "/etc/hosts"
  std::vector<std::string>* whiteouts;  // null: a plain tree (no overlay meaning)
};

// Depth first, names sorted so the archive is the same for the same tree.
absl::Status WalkTree(const Walk& w, const std::string& root, const std::string& rel) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, sys::ListDir(root + rel));
  std::sort(names.begin(), names.end());
  for (const std::string& n : names) {
    std::string r = rel + "/" + n, path = root + r;
    struct stat st;
    if (::lstat(path.c_str(), &st) != 0) return sys::ErrnoStatus(errno, "lstat %s", path);
    if (w.whiteouts && S_ISCHR(st.st_mode) && st.st_rdev == makedev(0, 0)) {
      w.whiteouts->push_back(r);
      continue;
    }
    if (w.skip && w.skip->count(r) && !S_ISDIR(st.st_mode)) continue;
    RETURN_IF_ERROR(AddEntry(w.tar, path, r.substr(1), st));
    if (S_ISDIR(st.st_mode)) RETURN_IF_ERROR(WalkTree(w, root, r));
  }
  return absl::OkStatus();
}

absl::Status Close(struct archive* a, const std::string& path) {
  if (archive_write_close(a) != ARCHIVE_OK) return ArchiveError(a, "close " + path);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> OverlayUpperDir(const std::string& mount_point) {
  ASSIGN_OR_RETURN(std::string mi, sys::ReadFile("/proc/self/mountinfo"));
  std::string upper;
  for (absl::string_view line : absl::StrSplit(mi, '\n')) {
    std::vector<absl::string_view> f = absl::StrSplit(line, ' ');
    if (f.size() < 10 || f[4] != mount_point) continue;
    size_t dash = std::find(f.begin(), f.end(), "-") - f.begin();
    if (dash + 3 >= f.size() || f[dash + 1] != "overlay") continue;
    upper.clear();  // the last mount on the point is the one seen
    for (absl::string_view opt : absl::StrSplit(f[dash + 3], ',')) {
      if (absl::ConsumePrefix(&opt, "upperdir=")) upper = std::string(opt);
    }
  }
  if (upper.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("rootfs ", mount_point, " is not an overlay mount with an upper dir"));
  }
  return upper;
}

absl::Status WriteRootfsDiff(const std::string& upper, const std::set<std::string>& skip,
                             const std::string& diff_tar, const std::string& deleted_files) {
  ASSIGN_OR_RETURN(ArchivePtr tar, OpenTar(diff_tar));
  std::vector<std::string> whiteouts;
  RETURN_IF_ERROR(WalkTree({tar.get(), &skip, &whiteouts}, upper, ""));
  RETURN_IF_ERROR(Close(tar.get(), diff_tar));
  return sys::WriteFileAtomic(deleted_files, nlohmann::json(whiteouts).dump(), 0600,
                              sys::Durability::kBootOnly);
}

absl::Status TarDirectory(const std::string& dir, const std::string& out) {
  const std::string tmp = out + ".tmp";
  auto write = [&]() -> absl::Status {
    ASSIGN_OR_RETURN(ArchivePtr tar, OpenTar(tmp));
    RETURN_IF_ERROR(WalkTree({tar.get(), nullptr, nullptr}, dir, ""));
    return Close(tar.get(), tmp);
  };
  absl::Status st = write();
  if (st.ok() && ::rename(tmp.c_str(), out.c_str()) != 0) {
    st = sys::ErrnoStatus(errno, "rename %s to %s", tmp, out);
  }
  if (!st.ok()) ::unlink(tmp.c_str());
  return sys::Annotate(st, "write checkpoint archive %s", out);
}

}  // namespace cricket::pod
