// Overlay snapshots with short relative lowerdirs (see snapshot.h for why).
#include "image/snapshot.h"

#include <limits.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "oci/sys/fs.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/status.h"
#include "oci/sys/userns.h"
#include "oci/sys/fds.h"

namespace cricket::image {

bool ValidContainerId(const std::string& id) {
  if (id.empty() || id.size() > 128 || id[0] == '.') return false;
  for (char c : id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return false;
    }
  }
  return true;
}

// 0700: upper dirs and mounted rootfs hold what the containers wrote, setuid
// binaries included; no host user may reach them.
absl::Status SnapshotManager::Init() { return sys::MkdirAllWithMode(dir_, 0700); }

std::string SnapshotManager::RootfsPath(const std::string& container_id) const {
  return dir_ + "/" + container_id + "/rootfs";
}

std::string SnapshotManager::OverlayOptions(size_t n_layers, const std::string& lower_dir) {
  std::string lower;
  // overlay wants the top layer first; l/<n> is layer n counted from the bottom.
  for (size_t i = n_layers; i-- > 0;) {
    absl::StrAppend(&lower, lower.empty() ? "" : ":", lower_dir, "/", i);
  }
  return absl::StrCat("lowerdir=", lower, ",upperdir=upper,workdir=work");
}

// idm/<n>: id-mapped mounts of the layers, needed only while overlay is
// mounted (overlay keeps private clones of its lower mounts), so detached
// right after. rmdir, never a recursive delete: a mount left by a failed
// unmount must not lead a delete into a shared layer.
static absl::Status UnmountIdmappedLayers(const std::string& cdir) {
  std::string dir = cdir + "/idm";
  if (!sys::PathExists(dir)) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<std::string> names, sys::ListDir(dir));
  for (const std::string& n : names) {
    std::string p = dir + "/" + n;
    while (sys::IsMountPoint(p)) RETURN_IF_ERROR(sys::Unmount(p, MNT_DETACH));
    RETURN_IF_ERROR(sys::RemoveDir(p));
  }
  return sys::RemoveDir(dir);
}

absl::Status SnapshotManager::MountIdmappedLayers(const std::string& cdir, size_t n,
                                                  const RootfsIdMap& idmap) {
  ASSIGN_OR_RETURN(sys::UniqueFd userns, sys::Open(idmap.userns_path, O_RDONLY));
  RETURN_IF_ERROR(UnmountIdmappedLayers(cdir));  // leftovers of a crash
  for (size_t i = 0; i < n; ++i) {
    std::string target = absl::StrCat(cdir, "/idm/", i);
    RETURN_IF_ERROR(sys::MkdirAll(target, 0755));
    RETURN_IF_ERROR(sys::IdmappedBind(absl::StrCat(cdir, "/l/", i), target, userns.get()));
  }
  // The rootfs's "/" is the upper dir: owned by the container's root.
  std::string upper = cdir + "/upper";
  if (::chown(upper.c_str(), idmap.root_uid, idmap.root_gid) != 0) {
    return sys::ErrnoStatus(errno, "chown %s to %d:%d", upper, idmap.root_uid, idmap.root_gid);
  }
  return absl::OkStatus();
}

absl::Status SnapshotManager::Mount(const std::string& cdir, const RootfsIdMap* idmap) {
  ASSIGN_OR_RETURN(std::vector<std::string> links, sys::ListDir(cdir + "/l"));
  if (idmap != nullptr) {
    absl::Status st = MountIdmappedLayers(cdir, links.size(), *idmap);
    if (st.ok()) st = MountOverlay(cdir, OverlayOptions(links.size(), "idm"), links.size());
    absl::Status un = UnmountIdmappedLayers(cdir);
    return st.ok() ? un : st;
  }
  return MountOverlay(cdir, OverlayOptions(links.size()), links.size());
}

absl::Status SnapshotManager::MountOverlay(const std::string& cdir, const std::string& opts,
                                           size_t n_layers, const std::string& target,
                                           unsigned long flags) {
  absl::Status st;
  // A thread of our own so that chdir does not move the daemon's other threads.
  std::thread t([&] {
    if (::unshare(CLONE_FS) != 0) {
      st = sys::ErrnoStatus(errno, "unshare(CLONE_FS) for the overlay mount");
    } else if (::chdir(cdir.c_str()) != 0) {
      st = sys::ErrnoStatus(errno, "chdir %s", cdir);
    } else {
      st = sys::Mount("overlay", target, "overlay", flags, opts);
    }
  });
  t.join();
  return sys::Annotate(st, "mount overlay on %s/%s (%d layers)", cdir, target, n_layers);
}

absl::StatusOr<std::string> SnapshotManager::Prepare(const std::string& container_id,
                                                     const std::vector<std::string>& layer_dirs,
                                                     const RootfsIdMap* idmap) {
  if (!ValidContainerId(container_id)) {
    return absl::InvalidArgumentError(absl::StrCat("bad container id \"", container_id, "\""));
  }
  std::string cdir = dir_ + "/" + container_id;
  std::string rootfs = cdir + "/rootfs";
  if (sys::IsMountPoint(rootfs)) return rootfs;
  bool fresh = !sys::PathExists(cdir + "/l");
  RETURN_IF_ERROR(sys::MkdirAll(cdir, 0700));
  for (const char* sub : {"upper", "work", "rootfs", "l"}) {
    RETURN_IF_ERROR(sys::MkdirAll(cdir + "/" + sub, 0755));
  }
  if (fresh || layer_dirs.empty()) {
    // overlay needs one lower at least; an image without layers gets an empty one.
    std::vector<std::string> lowers = layer_dirs;
    if (lowers.empty()) {
      RETURN_IF_ERROR(sys::MkdirAll(cdir + "/empty", 0755));
      lowers.push_back(cdir + "/empty");
    }
    for (size_t i = 0; i < lowers.size(); ++i) {
      std::string link = absl::StrCat(cdir, "/l/", i);
      if (::symlink(lowers[i].c_str(), link.c_str()) != 0 && errno != EEXIST) {
        return sys::ErrnoStatus(errno, "link layer %s", link);
      }
    }
  }
  RETURN_IF_ERROR(Mount(cdir, idmap));
  return rootfs;
}

absl::StatusOr<std::vector<std::string>> SnapshotManager::List() const {
  ASSIGN_OR_RETURN(std::vector<std::string> names, sys::ListDir(dir_));
  std::vector<std::string> out;
  for (const std::string& n : names) {
    if (ValidContainerId(n)) out.push_back(n);
  }
  return out;
}

std::vector<std::string> SnapshotManager::LowerDirsInUse() const {
  std::vector<std::string> out;
  auto read_links = [&out](const std::string& ldir) {
    for (const std::string& n : sys::ListDir(ldir).value_or(std::vector<std::string>{})) {
      char buf[PATH_MAX];
      ssize_t len = ::readlink((ldir + "/" + n).c_str(), buf, sizeof buf - 1);
      if (len > 0) out.emplace_back(buf, static_cast<size_t>(len));
    }
  };
  for (const std::string& id : List().value_or(std::vector<std::string>{})) {
    read_links(dir_ + "/" + id + "/l");
    const std::string vdir = dir_ + "/" + id + "/volumes";
    for (const std::string& v : sys::ListDir(vdir).value_or(std::vector<std::string>{})) {
      read_links(vdir + "/" + v + "/l");
    }
  }
  return out;
}

absl::Status SnapshotManager::Remove(const std::string& container_id) {
  if (!ValidContainerId(container_id)) {
    return absl::InvalidArgumentError(absl::StrCat("bad container id \"", container_id, "\""));
  }
  std::string cdir = dir_ + "/" + container_id;
  std::string rootfs = cdir + "/rootfs";
  while (sys::IsMountPoint(rootfs)) {  // stacked mounts, e.g. after a retried Prepare
    RETURN_IF_ERROR(sys::Unmount(rootfs, MNT_DETACH));
  }
  RETURN_IF_ERROR(UnmountIdmappedLayers(cdir));
  // Before the delete: a volume's overlay must not lead it into the layers.
  RETURN_IF_ERROR(UnmountVolumes(cdir));
  return sys::RemoveAll(cdir);
}

}  // namespace cricket::image
