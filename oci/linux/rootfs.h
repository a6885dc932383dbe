// Building the container's root in the child: propagation, the spec's mounts
// (every destination resolved inside the rootfs), pivot_root or MS_MOVE +
// chroot, masked and read-only paths, a read-only root.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/linux/mounts.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::linux {

// "/a/b/c" → "/a/b" and "c" (paths inside the rootfs, always absolute).
std::string ParentPath(const std::string& p);
std::string BaseName(const std::string& p);

// Makes "/" rslave (so nothing propagates back to the host) and bind-mounts
// the rootfs onto itself so it is a mount point for pivot_root.
absl::Status PrepareRoot(const std::string& rootfs);

// Opens (creating as needed) the mount point `dest` inside the root:
// a file when `file`, else a directory. Returns an O_PATH fd.
absl::StatusOr<sys::UniqueFd> MountPointInRoot(int root_fd, const std::string& dest, bool file);

// Executes one planned mount inside the root. `in_userns`: keep the flags
// the kernel locks on remounts (nosuid, nodev, noexec, atime).
absl::Status DoMount(int root_fd, const MountStep& step, bool in_userns);

// pivot_root(rootfs) and detach the old root; or MS_MOVE + chroot (no_pivot).
absl::Status PivotRoot(const std::string& rootfs);
absl::Status MoveRoot(const std::string& rootfs);
// After the switch: rootfsPropagation applied to "/".
absl::Status ApplyRootPropagation(const std::string& propagation);

// Inside the new root: /dev/null over files, read-only tmpfs over dirs;
// missing paths are skipped.
absl::Status MaskPaths(const std::vector<std::string>& paths);
// Read-only bind remount of each path; missing paths are skipped.
absl::Status ReadonlyPaths(const std::vector<std::string>& paths, bool in_userns);
absl::Status ReadonlyRoot(bool in_userns);

// The mount flags the kernel reports for `path` that must be kept on a
// remount inside a user namespace.
unsigned long LockedFlags(const std::string& path);

}  // namespace cricket::oci::linux
