// The checkpoint archive CheckpointContainer writes, in the layout the
// kubelet's checkpoint API gets from CRI-O and checkpointctl reads:
//   checkpoint/      CRIU's images (and descriptors.json)
//   config.dump      {id, name, rootfsImage, rootfsImageRef, rootfsImageName,
//                     runtime, createdTime, checkpointedTime}
//   spec.dump        the container's OCI config.json
//   rootfs-diff.tar  what the container added or changed in its rootfs
//                    (the overlay upper dir, without whiteouts)
//   deleted.files    JSON list of what it deleted ("/etc/motd")
//   dump.log         CRIU's log
// An uncompressed tar, as CRI-O writes it.
#pragma once

#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::pod {

// The upperdir= of the overlay mounted at `mount_point` (from
// /proc/self/mountinfo): FailedPrecondition when it is not an overlay.
absl::StatusOr<std::string> OverlayUpperDir(const std::string& mount_point);

// Walks an overlay upper dir: every file, dir and symlink into `diff_tar`
// (names relative, "etc/motd"), every whiteout (a 0:0 char device) into the
// JSON list `deleted_files` ("/etc/motd"). Paths in `skip` ("/etc/hosts",
// the mount points the runtime made for the container's mounts) are left out.
absl::Status WriteRootfsDiff(const std::string& upper, const std::set<std::string>& skip,
                             const std::string& diff_tar, const std::string& deleted_files);

// Tars the tree under `dir` (names relative to it) into `out`, written to
// out + ".tmp" and renamed, so a failure leaves no half archive at `out`.
absl::Status TarDirectory(const std::string& dir, const std::string& out);

}  // namespace cricket::pod
