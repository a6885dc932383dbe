// Image volumes (CRI Mount.image, the kubelet's ImageVolume feature): an
// image's layers mounted read-only for a container, as containerd's read-only
// snapshot views and CRI-O's image mounts are. Layout, under the container's
// snapshot dir (so RemoveRootfs, the create rollback and the start-up sweep
// of orphans remove them with the rootfs):
//   containers/<id>/volumes/<n>/l/<i>  links to the layer dirs (GC keeps them)
//   containers/<id>/volumes/<n>/e      an empty bottom lower
//   containers/<id>/volumes/<n>/mnt    the overlay: lowers only, no upper
#include <sys/mount.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "image/snapshot.h"
#include "oci/sys/fs.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/status.h"

namespace cricket::image {
namespace {

// overlay without an upper dir wants two lowers at least on the kernels
// Debian 12 ships ("at least 2 lowerdir are needed while upperdir
// nonexistent"), so an empty dir is always the bottom one; it also gives a
// layerless image something to mount.
std::string VolumeOverlayOptions(size_t n_layers) {
  std::string lower;
  for (size_t i = n_layers; i-- > 0;) absl::StrAppend(&lower, "l/", i, ":");
  return absl::StrCat("lowerdir=", lower, "e");
}

}  // namespace

absl::StatusOr<std::string> SnapshotManager::PrepareVolume(
    const std::string& container_id, size_t index, const std::vector<std::string>& layer_dirs) {
  if (!ValidContainerId(container_id)) {
    return absl::InvalidArgumentError(absl::StrCat("bad container id \"", container_id, "\""));
  }
  std::string vdir = absl::StrCat(dir_, "/", container_id, "/volumes/", index);
  std::string mnt = vdir + "/mnt";
  if (sys::IsMountPoint(mnt)) return mnt;
  // The container's dir is 0700 (see Init); the volume dirs need no more.
  RETURN_IF_ERROR(sys::MkdirAllWithMode(dir_ + "/" + container_id, 0700));
  for (const char* sub : {"l", "e", "mnt"}) RETURN_IF_ERROR(sys::MkdirAll(vdir + "/" + sub, 0755));
  for (size_t i = 0; i < layer_dirs.size(); ++i) {
    std::string link = absl::StrCat(vdir, "/l/", i);
    if (::symlink(layer_dirs[i].c_str(), link.c_str()) != 0 && errno != EEXIST) {
      return sys::ErrnoStatus(errno, "link layer %s", link);
    }
  }
  // Read-only twice over (overlay without an upper cannot be written), and
  // nosuid/nodev as CRI-O mounts image volumes; not noexec, as the kubelet's
  // use of image volumes includes shipping binaries to a container.
  RETURN_IF_ERROR(MountOverlay(vdir, VolumeOverlayOptions(layer_dirs.size()), layer_dirs.size(),
                               "mnt", MS_RDONLY | MS_NOSUID | MS_NODEV));
  return mnt;
}

// rmdir-free: Remove's RemoveAll deletes the dirs once nothing is mounted.
absl::Status SnapshotManager::UnmountVolumes(const std::string& cdir) {
  std::string vdir = cdir + "/volumes";
  if (!sys::PathExists(vdir)) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::vector<std::string> names, sys::ListDir(vdir));
  for (const std::string& n : names) {
    std::string mnt = vdir + "/" + n + "/mnt";
    while (sys::IsMountPoint(mnt)) RETURN_IF_ERROR(sys::Unmount(mnt, MNT_DETACH));
  }
  return absl::OkStatus();
}

}  // namespace cricket::image
