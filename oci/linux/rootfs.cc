// Mount execution inside the rootfs (child side). Destinations are always
// resolved with openat2(RESOLVE_IN_ROOT) and mounted through /proc/self/fd/N,
// so a symlink in the image can never redirect a mount onto the host.
#include "oci/linux/rootfs.h"

#include <fcntl.h>
#include <linux/mount.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "oci/linux/cgroup_mount.h"
#include "oci/sys/userns.h"
#include "oci/sys/safe_path.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/status.h"

namespace cricket::oci::linux {
namespace {

absl::Status SetAttrRecursive(const std::string& target, uint64_t set, uint64_t clr) {
  struct mount_attr attr = {};
  attr.attr_set = set;
  attr.attr_clr = clr;
  if (::syscall(SYS_mount_setattr, AT_FDCWD, target.c_str(), AT_RECURSIVE, &attr, sizeof attr) !=
      0) {
    return sys::ErrnoStatus(errno, "mount_setattr %s", target);
  }
  return absl::OkStatus();
}

// With the host's rights, before any user namespace is joined; the user
// namespace with the mount's maps was opened by the parent (PrepareIdmaps).
absl::Status IdmappedBindStep(const MountStep& s, const std::string& target) {
  if (s.idmap_userns_fd < 0) return absl::InternalError("id-mapped mount without its user namespace");
  return sys::Annotate(sys::IdmappedBind(s.source, target, s.idmap_userns_fd, s.opts.recursive,
                                         s.opts.recursive_idmap),
                       "id-mapped bind mount on %s", s.destination);
}

absl::Status MountBind(int root_fd, const MountStep& s, bool in_userns) {
  struct stat st;
  if (::stat(s.source.c_str(), &st) != 0)
    return sys::ErrnoStatus(errno, "bind source %s", s.source);
  ASSIGN_OR_RETURN(sys::UniqueFd target,
                   MountPointInRoot(root_fd, s.destination, !S_ISDIR(st.st_mode)));
  unsigned long rec = s.opts.recursive ? MS_REC : 0;
  if (s.opts.idmap) {
    RETURN_IF_ERROR(IdmappedBindStep(s, sys::FdPath(target.get())));
  } else {
    RETURN_IF_ERROR(sys::Mount(s.source, sys::FdPath(target.get()), "", MS_BIND | rec));
  }
  // Later steps must address the new mount, not the directory beneath it.
  ASSIGN_OR_RETURN(target, sys::OpenInRoot(root_fd, s.destination, O_PATH));
  std::string path = sys::FdPath(target.get());
  if (s.needs_remount) {
    unsigned long flags = (s.opts.flags & ~MS_REC) | MS_BIND | MS_REMOUNT;
    if (in_userns) flags |= LockedFlags(path) & ~s.opts.clear;
    RETURN_IF_ERROR(sys::Mount("", path, "", flags));
  }
  if (s.opts.propagation != 0) RETURN_IF_ERROR(sys::Mount("", path, "", s.opts.propagation));
  if (s.opts.attr_set != 0 || s.opts.attr_clr != 0) {
    RETURN_IF_ERROR(SetAttrRecursive(path, s.opts.attr_set, s.opts.attr_clr));
  }
  return absl::OkStatus();
}

absl::Status MountFilesystem(int root_fd, const MountStep& s, bool in_userns) {
  ASSIGN_OR_RETURN(sys::UniqueFd target, MountPointInRoot(root_fd, s.destination, false));
  std::string path = sys::FdPath(target.get());
  unsigned long flags = s.opts.flags & ~MS_REMOUNT;
  absl::Status st =
      sys::Mount(s.source.empty() ? s.fstype : s.source, path, s.fstype, flags, s.opts.data);
  if (!st.ok() && s.fstype == "sysfs" && in_userns) {
    // Without its own network namespace a user namespace may not mount sysfs;
    // runc falls back to a read-only recursive bind of the host's /sys.
    st = sys::Mount("/sys", path, "", MS_BIND | MS_REC);
    if (st.ok()) {
      ASSIGN_OR_RETURN(target, sys::OpenInRoot(root_fd, s.destination, O_PATH));
      st = SetAttrRecursive(
          sys::FdPath(target.get()),
          MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, 0);
    }
  }
  RETURN_IF_ERROR(st);
  if (s.opts.propagation != 0 || s.opts.attr_set != 0 || s.opts.attr_clr != 0) {
    ASSIGN_OR_RETURN(target, sys::OpenInRoot(root_fd, s.destination, O_PATH));
    path = sys::FdPath(target.get());
    if (s.opts.propagation != 0) RETURN_IF_ERROR(sys::Mount("", path, "", s.opts.propagation));
    if (s.opts.attr_set != 0 || s.opts.attr_clr != 0) {
      RETURN_IF_ERROR(SetAttrRecursive(path, s.opts.attr_set, s.opts.attr_clr));
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string ParentPath(const std::string& p) {
  size_t s = p.find_last_of('/');
  return s == std::string::npos || s == 0 ? "/" : p.substr(0, s);
}

std::string BaseName(const std::string& p) {
  size_t s = p.find_last_of('/');
  return s == std::string::npos ? p : p.substr(s + 1);
}

unsigned long LockedFlags(const std::string& path) {
  struct statvfs sv;
  if (::statvfs(path.c_str(), &sv) != 0) return 0;
  unsigned long out = 0;
  if (sv.f_flag & ST_NOSUID) out |= MS_NOSUID;
  if (sv.f_flag & ST_NODEV) out |= MS_NODEV;
  if (sv.f_flag & ST_NOEXEC) out |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) out |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) out |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) out |= MS_RELATIME;
  if (sv.f_flag & ST_RDONLY) out |= MS_RDONLY;
  return out;
}

absl::Status PrepareRoot(const std::string& rootfs) {
  RETURN_IF_ERROR(sys::Mount("", "/", "", MS_SLAVE | MS_REC));
  return sys::Mount(rootfs, rootfs, "", MS_BIND | MS_REC);
}

absl::StatusOr<sys::UniqueFd> MountPointInRoot(int root_fd, const std::string& dest, bool file) {
  auto existing = sys::OpenInRoot(root_fd, dest, O_PATH);
  if (existing.ok() || !absl::IsNotFound(existing.status())) return existing;
  if (!file) {
    ASSIGN_OR_RETURN(sys::UniqueFd dir, sys::MkdirAllInRoot(root_fd, dest));
    return dir;
  }
  ASSIGN_OR_RETURN(sys::UniqueFd parent, sys::MkdirAllInRoot(root_fd, ParentPath(dest)));
  int fd = ::openat(parent.get(), BaseName(dest).c_str(),
                    O_CREAT | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) return sys::ErrnoStatus(errno, "create mount point %s inside root", dest);
  sys::UniqueFd created(fd);
  return sys::OpenInRoot(root_fd, dest, O_PATH);
}

absl::Status DoMount(int root_fd, const MountStep& step, bool in_userns) {
  absl::Status st;
  switch (step.kind) {
    case MountKind::kBind:
      st = MountBind(root_fd, step, in_userns);
      break;
    case MountKind::kCgroup:
      st = MountCgroups(root_fd, step);
      break;
    case MountKind::kFilesystem:
      st = MountFilesystem(root_fd, step, in_userns);
      break;
  }
  return sys::Annotate(st, "mount %s on %s (%s)", step.source, step.destination, step.fstype);
}

absl::Status PivotRoot(const std::string& rootfs) {
  if (::chdir(rootfs.c_str()) != 0) return sys::ErrnoStatus(errno, "chdir %s", rootfs);
  if (::syscall(SYS_pivot_root, ".", ".") != 0)
    return sys::ErrnoStatus(errno, "pivot_root %s", rootfs);
  // The old root now sits on top of "."; make it a slave so detaching it does
  // not propagate an unmount to the host, then detach it.
  RETURN_IF_ERROR(sys::Mount("", ".", "", MS_SLAVE | MS_REC));
  RETURN_IF_ERROR(sys::Unmount(".", MNT_DETACH));
  if (::chdir("/") != 0) return sys::ErrnoStatus(errno, "chdir /");
  return absl::OkStatus();
}

absl::Status MoveRoot(const std::string& rootfs) {
  if (::chdir(rootfs.c_str()) != 0) return sys::ErrnoStatus(errno, "chdir %s", rootfs);
  RETURN_IF_ERROR(sys::Mount(rootfs, "/", "", MS_MOVE));
  if (::chroot(".") != 0) return sys::ErrnoStatus(errno, "chroot %s", rootfs);
  if (::chdir("/") != 0) return sys::ErrnoStatus(errno, "chdir /");
  return absl::OkStatus();
}

absl::Status ApplyRootPropagation(const std::string& propagation) {
  if (propagation.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(unsigned long flag, PropagationFlag(propagation));
  return sys::Mount("", "/", "", flag);
}

absl::Status MaskPaths(const std::vector<std::string>& paths) {
  for (const std::string& p : paths) {
    struct stat st;
    if (::stat(p.c_str(), &st) != 0) {
      if (errno == ENOENT) continue;
      return sys::ErrnoStatus(errno, "mask %s", p);
    }
    absl::Status s = S_ISDIR(st.st_mode) ? sys::Mount("tmpfs", p, "tmpfs", MS_RDONLY, "size=0k")
                                         : sys::Mount("/dev/null", p, "", MS_BIND);
    RETURN_IF_ERROR(sys::Annotate(s, "mask %s", p));
  }
  return absl::OkStatus();
}

absl::Status ReadonlyPaths(const std::vector<std::string>& paths, bool in_userns) {
  for (const std::string& p : paths) {
    if (::access(p.c_str(), F_OK) != 0) {
      if (errno == ENOENT) continue;
      return sys::ErrnoStatus(errno, "readonly path %s", p);
    }
    RETURN_IF_ERROR(sys::Mount(p, p, "", MS_BIND | MS_REC));
    unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_REC;
    if (in_userns) flags |= LockedFlags(p);
    RETURN_IF_ERROR(sys::Annotate(sys::Mount("", p, "", flags), "readonly path %s", p));
  }
  return absl::OkStatus();
}

absl::Status ReadonlyRoot(bool in_userns) {
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY;
  if (in_userns) flags |= LockedFlags("/");
  return sys::Annotate(sys::Mount("", "/", "", flags), "make root read-only");
}

}  // namespace cricket::oci::linux
