// Tar entries → files, one confined create at a time. Ordering rules: owner
// before mode (chown clears setuid bits); directory mtimes last, because
// creating their children changes them.
#include "image/unpack.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/strings/str_cat.h"
#include "image/decompress.h"
#include "image/dir_chain.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/safe_path.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::image {
namespace {

struct ArchiveFree {
  void operator()(archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<archive, ArchiveFree>;

constexpr char kWhiteoutPrefix[] = ".wh.";
constexpr char kOpaqueMarker[] = ".wh..wh..opq";
// Docker on aufs left its own metadata in layers (".wh..wh.aufs",
// ".wh..wh.plnk", ".wh..wh.orph"); only the opaque marker is a whiteout.
constexpr char kWhiteoutMetaPrefix[] = ".wh..wh.";

absl::Status Refuse(std::string_view why) {
  return absl::InvalidArgumentError(std::string(why));
}

absl::Status WriteAllAt(int fd, const char* p, size_t len, off_t off) {
  while (len > 0) {
    ssize_t n = ::pwrite(fd, p, len, off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return sys::ErrnoStatus(errno, "write");
    p += n;
    off += n;
    len -= static_cast<size_t>(n);
  }
  return absl::OkStatus();
}

// Big files start their writeback as soon as they are written, so the disk
// works while the rest of the layer unpacks and the syncfs before the commit
// has little left to wait for (the kernel would otherwise hold gigabytes of
// dirty pages until then). Small files are left to that syncfs: a kick per
// file would cost more than it saves.
constexpr int64_t kKickWritebackBytes = 256 << 10;

class Unpacker {
 public:
  // source_eof: set once the plain stream has no more bytes.
  Unpacker(int root_fd, const UnpackOptions& opts, const bool* source_eof)
      : root_(root_fd), opts_(opts), dirs_(root_fd), source_eof_(source_eof) {}
  absl::Status Entry(archive* a, archive_entry* e);
  void FixDirTimes();
  // The stream ended right after the last file's data (no padding, no
  // end-of-archive blocks): that file is whole and the layer is over.
  bool ended_early() const { return ended_early_; }

 private:
  absl::StatusOr<bool> ClearLeaf(int parent_fd, const std::string& base, bool want_dir);
  absl::Status Whiteout(int parent_fd, const std::string& base);
  absl::Status Create(archive_entry* e, int parent_fd, const std::string& base);
  absl::Status MakeNode(archive_entry* e, int parent_fd, const std::string& base);
  absl::Status File(archive* a, archive_entry* e, int parent_fd, const std::string& base);
  absl::Status HardLink(archive_entry* e, int parent_fd, const std::string& base);
  absl::Status Metadata(archive_entry* e, int parent_fd, const std::string& base,
                        const std::string& path);
  absl::Status FileMetadata(archive_entry* e, int fd);
  absl::Status Xattrs(archive_entry* e, int fd, const std::string& proc_path);

  int root_;
  UnpackOptions opts_;
  DirChain dirs_;  // parents of the entries, kept open while entries share them
  const bool* source_eof_;
  bool ended_early_ = false;
  struct DirTime {
    std::string path;
    struct timespec times[2];
  };
  std::vector<DirTime> dir_times_;
};

// Removes what is at parent/base unless both it and the new entry are dirs
// (then the dir is kept: true). Anything removed drops the dir chain, since
// a dir we walked through may be gone.
absl::StatusOr<bool> Unpacker::ClearLeaf(int parent_fd, const std::string& base, bool want_dir) {
  struct stat st;
  if (::fstatat(parent_fd, base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT) return false;
    return sys::ErrnoStatus(errno, "stat existing %s", base);
  }
  if (S_ISDIR(st.st_mode) && want_dir) return true;
  if (S_ISDIR(st.st_mode)) {
    RETURN_IF_ERROR(sys::RemoveAll(sys::FdPath(parent_fd) + "/" + base));
  } else if (::unlinkat(parent_fd, base.c_str(), 0) != 0) {
    return sys::ErrnoStatus(errno, "replace existing %s", base);
  }
  dirs_.Forget();
  return false;
}

absl::Status Unpacker::Whiteout(int parent_fd, const std::string& base) {
  if (base == kOpaqueMarker) {
    if (::fsetxattr(parent_fd, "trusted.overlay.opaque", "y", 1, 0) != 0) {
      return sys::ErrnoStatus(errno, "mark directory opaque (trusted.overlay.opaque)");
    }
    return absl::OkStatus();
  }
  std::string name = base.substr(sizeof(kWhiteoutPrefix) - 1);
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
    return Refuse("whiteout of \"" + name + "\" would land outside its directory");
  }
  RETURN_IF_ERROR(ClearLeaf(parent_fd, name, false).status());
  // overlayfs's whiteout: a 0/0 character device.
  if (::mknodat(parent_fd, name.c_str(), S_IFCHR | 0, makedev(0, 0)) != 0) {
    return sys::ErrnoStatus(errno, "create whiteout for %s", name);
  }
  return absl::OkStatus();
}

absl::Status Unpacker::Entry(archive* a, archive_entry* e) {
  const char* raw = archive_entry_pathname(e);
  if (raw == nullptr) return Refuse("entry without a name");
  ASSIGN_OR_RETURN(std::string path, CleanEntryName(raw));
  if (path.empty()) {  // "/", "./": the layer root itself
    if (archive_entry_filetype(e) == AE_IFDIR) return Metadata(e, root_, ".", "");
    // containerd skips it too: the root stays a directory whatever it says.
    sys::LogWarn("skipping a layer root entry that is not a directory", {{"entry", raw}});
    return absl::OkStatus();
  }
  size_t slash = path.rfind('/');
  std::string parent = slash == std::string::npos ? "" : path.substr(0, slash);
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.rfind(kWhiteoutMetaPrefix, 0) == 0 && base != kOpaqueMarker) {
    // As containerd: never applied (files under .wh..wh.plnk are, since
    // hard links may point at them).
    sys::LogDebug("skipping aufs metadata entry", {{"entry", raw}});
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(int parent_fd, dirs_.Open(parent));
  if (base.rfind(kWhiteoutPrefix, 0) == 0) return Whiteout(parent_fd, base);
  if (archive_entry_hardlink(e) != nullptr) {
    RETURN_IF_ERROR(ClearLeaf(parent_fd, base, false).status());
    return HardLink(e, parent_fd, base);
  }
  if (archive_entry_filetype(e) == AE_IFREG) return File(a, e, parent_fd, base);
  RETURN_IF_ERROR(Create(e, parent_fd, base));
  return Metadata(e, parent_fd, base, path);
}

// Creates first and looks only when the name is taken (a later entry
// replacing an earlier one): in a fresh layer dir it never is.
absl::Status Unpacker::Create(archive_entry* e, int parent_fd, const std::string& base) {
  absl::Status made = MakeNode(e, parent_fd, base);
  if (!absl::IsAlreadyExists(made)) return made;
  ASSIGN_OR_RETURN(bool kept_dir,
                   ClearLeaf(parent_fd, base, archive_entry_filetype(e) == AE_IFDIR));
  return kept_dir ? absl::OkStatus() : MakeNode(e, parent_fd, base);
}

absl::Status Unpacker::MakeNode(archive_entry* e, int parent_fd, const std::string& base) {
  mode_t type = archive_entry_filetype(e);
  switch (type) {
    case AE_IFDIR:
      if (::mkdirat(parent_fd, base.c_str(), 0700) != 0) return sys::ErrnoStatus(errno, "mkdir");
      return absl::OkStatus();
    case AE_IFLNK: {
      // Kept as written, absolute or not: it is resolved inside the
      // container's root at run time, and we never follow it here.
      const char* target = archive_entry_symlink(e);
      if (target == nullptr) return Refuse("symlink without a target");
      if (::symlinkat(target, parent_fd, base.c_str()) != 0) {
        return sys::ErrnoStatus(errno, "symlink");
      }
      return absl::OkStatus();
    }
    case AE_IFCHR:
    case AE_IFBLK:
      if (!opts_.allow_devices) return Refuse("device nodes are not allowed by policy");
      [[fallthrough]];
    case AE_IFIFO:
      if (::mknodat(parent_fd, base.c_str(), type | 0600, archive_entry_rdev(e)) != 0) {
        return sys::ErrnoStatus(errno, "mknod");
      }
      return absl::OkStatus();
    default:
      return Refuse(absl::StrCat("unsupported entry type 0", absl::Hex(type)));
  }
}

// A regular file: created 0600 (nobody else reads it half-written), data,
// then owner, mode, xattrs and times through the same fd, with no more
// lookups by name.
absl::Status Unpacker::File(archive* a, archive_entry* e, int parent_fd,
                            const std::string& base) {
  const int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
  sys::UniqueFd fd(::openat(parent_fd, base.c_str(), flags, 0600));
  if (!fd && errno == EEXIST) {
    RETURN_IF_ERROR(ClearLeaf(parent_fd, base, false).status());
    fd.Reset(::openat(parent_fd, base.c_str(), flags, 0600));
  }
  if (!fd) return sys::ErrnoStatus(errno, "create file");
  const void* buf;
  size_t len;
  la_int64_t off;
  int64_t end = 0;
  for (;;) {
    int r = archive_read_data_block(a, &buf, &len, &off);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      // libarchive fails consuming the padding the writer left out; Go's tar
      // reader (containerd, CRI-O) takes the end of the stream there as the
      // end of the archive, so the file is whole and the layer over.
      if (*source_eof_ && archive_entry_size_is_set(e) && end == archive_entry_size(e)) {
        ended_early_ = true;
        break;
      }
      return absl::DataLossError(absl::StrCat("read data: ", archive_error_string(a)));
    }
    RETURN_IF_ERROR(WriteAllAt(fd.get(), static_cast<const char*>(buf), len, off));
    end = std::max<int64_t>(end, off + static_cast<int64_t>(len));
  }
  // Sparse entries may end in a hole the data blocks do not cover.
  int64_t size = archive_entry_size_is_set(e) ? archive_entry_size(e) : end;
  if (size != end && ::ftruncate(fd.get(), size) != 0) {
    return sys::ErrnoStatus(errno, "set file size");
  }
  if (size >= kKickWritebackBytes) {
    // Only starts the writeback; syncfs before the commit still waits for it.
    (void)::sync_file_range(fd.get(), 0, 0, SYNC_FILE_RANGE_WRITE);
  }
  return FileMetadata(e, fd.get());
}

absl::Status Unpacker::HardLink(archive_entry* e, int parent_fd, const std::string& base) {
  const char* link = archive_entry_hardlink(e);
  // Relative to the layer root, absolute or not, like the entry names.
  auto target = CleanEntryName(link);
  if (!target.ok()) {
    return Refuse(absl::StrCat("hard link target \"", link,
                               "\" is outside the layer (refused: a link to it would reach the host)"));
  }
  if (target->empty()) return Refuse(absl::StrCat("hard link to the layer root \"", link, "\""));
  auto tfd = sys::OpenInRoot(root_, *target, O_PATH | O_NOFOLLOW);
  if (!tfd.ok()) {
    return Refuse(absl::StrCat("hard link target \"", link, "\" is not in the layer: ",
                               std::string(tfd.status().message())));
  }
  struct stat st;
  if (::fstat(tfd->get(), &st) != 0) return sys::ErrnoStatus(errno, "stat link target");
  if (S_ISDIR(st.st_mode)) return Refuse(absl::StrCat("hard link to directory \"", link, "\""));
  // linkat through /proc/self/fd needs no CAP_DAC_READ_SEARCH (AT_EMPTY_PATH does).
  if (::linkat(AT_FDCWD, sys::FdPath(tfd->get()).c_str(), parent_fd, base.c_str(),
               AT_SYMLINK_FOLLOW) != 0) {
    return sys::ErrnoStatus(errno, "hard link to %s", *target);
  }
  return absl::OkStatus();
}

// As containerd: an xattr the filesystem has no room for (ENOTSUP: an
// unknown namespace, no xattrs at all) or an LSM refuses (EPERM on
// security.*) is left out. So are user.* xattrs on what is not a file or a
// directory, which Linux never allows, and EPERM when not root.
bool XattrSkippable(archive_entry* e, const std::string& name, int err) {
  if (err == ENOTSUP) return true;
  if (err != EPERM) return false;
  mode_t type = archive_entry_filetype(e);
  return ::geteuid() != 0 || name.rfind("security.", 0) == 0 ||
         (name.rfind("user.", 0) == 0 && type != AE_IFREG && type != AE_IFDIR);
}

// Sets the entry's xattrs on fd when it is open (regular files), else on
// proc_path (a /proc/self/fd path of the parent plus the name).
absl::Status Unpacker::Xattrs(archive_entry* e, int fd, const std::string& proc_path) {
  const char* name;
  const void* value;
  size_t size;
  if (archive_entry_xattr_reset(e) == 0) return absl::OkStatus();
  while (archive_entry_xattr_next(e, &name, &value, &size) == ARCHIVE_OK) {
    std::string n(name);
    // overlay's own xattrs would let a layer forge opaque dirs or redirects
    // into other layers; whiteouts are the only way in.
    if (n.rfind("trusted.overlay.", 0) == 0) {
      sys::LogWarn("skipping overlay xattr from layer", {{"xattr", n}});
      continue;
    }
    int r = fd >= 0 ? ::fsetxattr(fd, name, value, size, 0)
                    : ::lsetxattr(proc_path.c_str(), name, value, size, 0);
    if (r != 0 && XattrSkippable(e, n, errno)) {
      sys::LogWarn("skipping xattr the filesystem refuses",
                   {{"xattr", n}, {"error", std::strerror(errno)}});
    } else if (r != 0) {
      return sys::ErrnoStatus(errno, "set xattr %s", n);
    }
  }
  return absl::OkStatus();
}

struct EntryTimes {
  struct timespec t[2];
};

EntryTimes TimesOf(archive_entry* e) {
  EntryTimes times = {{{archive_entry_atime(e), archive_entry_atime_nsec(e)},
                       {archive_entry_mtime(e), archive_entry_mtime_nsec(e)}}};
  if (!archive_entry_atime_is_set(e)) times.t[0] = times.t[1];
  return times;
}

absl::Status Unpacker::FileMetadata(archive_entry* e, int fd) {
  if (opts_.chown && ::fchown(fd, static_cast<uid_t>(archive_entry_uid(e)),
                              static_cast<gid_t>(archive_entry_gid(e))) != 0) {
    return sys::ErrnoStatus(errno, "chown");
  }
  // After chown, which clears setuid/setgid.
  if (::fchmod(fd, archive_entry_perm(e)) != 0) return sys::ErrnoStatus(errno, "chmod");
  RETURN_IF_ERROR(Xattrs(e, fd, ""));
  if (::futimens(fd, TimesOf(e).t) != 0) return sys::ErrnoStatus(errno, "set times");
  return absl::OkStatus();
}

absl::Status Unpacker::Metadata(archive_entry* e, int parent_fd, const std::string& base,
                                const std::string& path) {
  mode_t type = archive_entry_filetype(e);
  const char* b = base.c_str();
  if (opts_.chown && ::fchownat(parent_fd, b, static_cast<uid_t>(archive_entry_uid(e)),
                                static_cast<gid_t>(archive_entry_gid(e)), AT_SYMLINK_NOFOLLOW) != 0) {
    return sys::ErrnoStatus(errno, "chown");
  }
  // After chown, which clears setuid/setgid.
  if (type != AE_IFLNK && ::fchmodat(parent_fd, b, archive_entry_perm(e), 0) != 0) {
    return sys::ErrnoStatus(errno, "chmod");
  }
  RETURN_IF_ERROR(Xattrs(e, -1, sys::FdPath(parent_fd) + "/" + base));
  EntryTimes times = TimesOf(e);
  if (type == AE_IFDIR) {
    dir_times_.push_back({path, {times.t[0], times.t[1]}});
    return absl::OkStatus();
  }
  if (::utimensat(parent_fd, b, times.t, AT_SYMLINK_NOFOLLOW) != 0) {
    return sys::ErrnoStatus(errno, "set times");
  }
  return absl::OkStatus();
}

void Unpacker::FixDirTimes() {
  for (auto it = dir_times_.rbegin(); it != dir_times_.rend(); ++it) {
    auto fd = sys::OpenInRoot(root_, it->path.empty() ? "." : it->path,
                              O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
    // A dir replaced later in the same layer has no time to fix.
    if (fd.ok()) ::futimens(fd->get(), it->times);
  }
}

}  // namespace

absl::StatusOr<std::string> CleanEntryName(std::string_view name) {
  // SplitPath drops empty and "." components, so a leading "/" or "./" is
  // just the root the rest is taken from.
  std::vector<std::string> parts;
  for (std::string& p : sys::SplitPath(name)) {
    if (p != "..") {
      parts.push_back(std::move(p));
    } else if (parts.empty()) {
      return Refuse(
          "name climbs out of the layer with \"..\" (refused: it would write outside the layer)");
    } else {
      parts.pop_back();
    }
  }
  std::string out;
  for (const std::string& p : parts) absl::StrAppend(&out, out.empty() ? "" : "/", p);
  return out;
}

namespace {

struct ReadCtx {
  PlainReader* reader = nullptr;
  std::vector<char> buf = std::vector<char>(1 << 20);
  absl::Status error;
  bool eof = false;        // the reader returned 0
  int64_t max_bytes = 0;  // UnpackOptions::max_bytes
  int64_t budget = 0;     // uncompressed bytes still allowed
};

la_ssize_t ReadPlain(archive* a, void* p, const void** out) {
  auto* c = static_cast<ReadCtx*>(p);
  auto n = c->reader->Read(c->buf.data(), c->buf.size());
  if (n.ok() && static_cast<int64_t>(*n) > c->budget) {
    n = absl::ResourceExhaustedError(absl::StrCat("layer is larger than ", c->max_bytes,
                                                  " bytes uncompressed (image.max_layer_bytes)"));
  }
  if (n.ok()) c->budget -= static_cast<int64_t>(*n);
  if (!n.ok()) {
    c->error = n.status();
    archive_set_error(a, EIO, "%s", std::string(n.status().message()).c_str());
    return -1;
  }
  *out = c->buf.data();
  if (*n == 0) c->eof = true;
  return static_cast<la_ssize_t>(*n);
}

}  // namespace

// Reads the tar from `plain` into dir; returns the diff_id.
static absl::StatusOr<std::string> Unpack(PlainReader& plain, const std::string& dir,
                                          const UnpackOptions& opts);

absl::StatusOr<std::string> UnpackTar(int fd, const std::string& dir, const UnpackOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<PlainReader> reader,
                   PlainReader::Open(fd, !opts.diff_id_checked));
  return Unpack(*reader, dir, opts);
}

absl::StatusOr<std::string> UnpackStream(PlainReader::Source source, const std::string& dir,
                                         const UnpackOptions& opts) {
  ASSIGN_OR_RETURN(std::unique_ptr<PlainReader> reader,
                   PlainReader::Open(std::move(source), !opts.diff_id_checked));
  return Unpack(*reader, dir, opts);
}

static absl::StatusOr<std::string> Unpack(PlainReader& plain, const std::string& dir,
                                          const UnpackOptions& opts) {
  PlainReader* reader = &plain;
  ReadCtx ctx;
  ctx.reader = reader;
  ctx.max_bytes = ctx.budget = opts.max_bytes;
  ArchivePtr a(archive_read_new());
  if (!a) return absl::ResourceExhaustedError("archive_read_new failed");
  archive_read_support_format_tar(a.get());
  archive_read_support_format_empty(a.get());
  if (archive_read_open(a.get(), &ctx, nullptr, ReadPlain, nullptr) != ARCHIVE_OK) {
    if (!ctx.error.ok()) return ctx.error;
    return absl::InvalidArgumentError(
        absl::StrCat("layer is not a tar (gzip, zstd or plain): ", archive_error_string(a.get())));
  }
  ASSIGN_OR_RETURN(sys::UniqueFd root, sys::OpenRoot(dir));
  Unpacker u(root.get(), opts, &ctx.eof);
  for (int64_t entries = 0;; ++entries) {
    archive_entry* e = nullptr;
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (entries >= opts.max_entries) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "layer has more than ", opts.max_entries, " entries (image.max_layer_entries)"));
    }
    if (!ctx.error.ok()) return ctx.error;
    if (r < ARCHIVE_WARN) {
      return absl::DataLossError(absl::StrCat("corrupt layer archive: ", archive_error_string(a.get())));
    }
    const char* name = archive_entry_pathname(e);
    absl::Status st = u.Entry(a.get(), e);
    if (!ctx.error.ok()) st = ctx.error;  // the stream broke mid-entry
    RETURN_IF_ERROR(sys::Annotate(st, "layer entry \"%s\"", name ? name : ""));
    if (u.ended_early()) {
      sys::LogWarn("layer tar ends without padding or end-of-archive blocks",
                   {{"last_entry", name ? name : ""}});
      break;
    }
  }
  u.FixDirTimes();
  return reader->DrainAndDigest();
}

}  // namespace cricket::image
