// Container root filesystems: an overlay of the image's layer dirs (top layer
// first) with a fresh upper/work under containers/<id>/, mounted on
// containers/<id>/rootfs.
//
// Long layer lists: the overlay options string must fit in one page (4096
// bytes), which absolute paths under /var/lib overflow at about 45 layers.
// We link each layer as containers/<id>/l/<n> and mount from a thread that
// has its own cwd (unshare(CLONE_FS), then chdir into containers/<id>), so
// the options read "lowerdir=l/0:l/1:...,upperdir=upper,workdir=work" —
// about 5 bytes a layer, past overlay's own 500-layer limit. fsconfig's
// "lowerdir+" would avoid this, but it needs Linux 6.8 and Debian 12 has 6.1.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::image {

// A rootfs presented through a user namespace's id maps (pods with
// hostUsers: false): each layer is an id-mapped mount, so files owned by host
// 0 appear as the container's root; layers are never chowned. The fresh
// upper and work dirs are owned by the container root's host ids, so what the
// container writes is stored as its host ids.
struct RootfsIdMap {
  std::string userns_path;  // a pinned user namespace
  uint32_t root_uid = 0, root_gid = 0;  // host ids of container uid/gid 0
};

// A container id usable as a snapshot dir name (no "/", no leading ".").
bool ValidContainerId(const std::string& id);

class SnapshotManager {
 public:
  explicit SnapshotManager(std::string containers_dir) : dir_(std::move(containers_dir)) {}
  absl::Status Init();

  // Mounts (or, when already mounted, returns) the rootfs of `container_id`
  // from the layer fs dirs given bottom first. Returns the rootfs path.
  // With `idmap`, the layers are mounted id-mapped (see RootfsIdMap).
  absl::StatusOr<std::string> Prepare(const std::string& container_id,
                                      const std::vector<std::string>& layer_dirs,
                                      const RootfsIdMap* idmap = nullptr);
  // Image volumes (CRI Mount.image; image/volume_snapshot.cc): the layers
  // (bottom first) mounted read-only, nosuid, nodev, with no upper dir, at
  // containers/<id>/volumes/<index>/mnt. Idempotent; returns that path.
  absl::StatusOr<std::string> PrepareVolume(const std::string& container_id, size_t index,
                                            const std::vector<std::string>& layer_dirs);
  // Unmounts and deletes containers/<id> (its image volumes first). A
  // missing container is OK.
  absl::Status Remove(const std::string& container_id);
  std::string RootfsPath(const std::string& container_id) const;
  // Container ids that have a snapshot dir.
  absl::StatusOr<std::vector<std::string>> List() const;
  // The layer dirs every snapshot and image volume links as a lower (what GC
  // must keep).
  std::vector<std::string> LowerDirsInUse() const;
  // The overlay options Prepare uses for n layers (relative to containers/<id>).
  static std::string OverlayOptions(size_t n_layers, const std::string& lower_dir = "l");

 private:
  absl::Status Mount(const std::string& cdir, const RootfsIdMap* idmap);
  // Mounts overlay on cdir/<target> with relative lowerdirs (cwd = cdir).
  absl::Status MountOverlay(const std::string& cdir, const std::string& opts, size_t n_layers,
                            const std::string& target = "rootfs", unsigned long flags = 0);
  // Unmounts every containers/<id>/volumes/<n>/mnt (before any delete).
  static absl::Status UnmountVolumes(const std::string& cdir);
  absl::Status MountIdmappedLayers(const std::string& cdir, size_t n, const RootfsIdMap& idmap);
  std::string dir_;
};

}  // namespace cricket::image
