// Mount options → mount(2) flags, propagation, recursive attributes and
// filesystem data (pure, unit-tested), and the per-mount plan the init
// executes inside the rootfs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/spec.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::linux {

struct MountOptions {
  unsigned long flags = 0;        // MS_* to set
  unsigned long clear = 0;        // MS_* explicitly cleared ("rw", "dev", ...)
  unsigned long propagation = 0;  // MS_PRIVATE|MS_REC, MS_SHARED, ...
  uint64_t attr_set = 0;          // MOUNT_ATTR_* applied recursively ("rro", "rnosuid")
  uint64_t attr_clr = 0;
  std::string data;  // fs-specific, comma-joined ("mode=755,size=65536k")
  bool bind = false;
  bool recursive = false;  // rbind
  bool idmap = false;            // "idmap" or "ridmap": an id-mapped bind
  bool recursive_idmap = false;  // "ridmap": submounts id-mapped too
};

// Unknown options become fs data, as mount(8) does.
MountOptions ParseMountOptions(const std::vector<std::string>& options);

// Propagation flag for a rootfsPropagation / option name ("rslave" →
// MS_SLAVE|MS_REC); 0 with ok=false when unknown.
absl::StatusOr<unsigned long> PropagationFlag(const std::string& name);

enum class MountKind { kBind, kCgroup, kFilesystem };

struct MountStep {
  MountKind kind = MountKind::kFilesystem;
  std::string source;       // absolute host path for binds (bundle-relative resolved)
  std::string destination;  // inside the rootfs
  std::string fstype;
  MountOptions opts;
  // Bind mounts apply flags in a second MS_REMOUNT|MS_BIND pass.
  bool needs_remount = false;
  std::vector<IdMapping> uid_mappings, gid_mappings;  // opts.idmap only
  // A user namespace with those maps, opened by the parent before the clone
  // (PrepareIdmaps): the child's /proc does not show its own helpers by pid.
  int idmap_userns_fd = -1;

};

// Pure: one step per spec mount, in order. InvalidArgument for a mount the
// engine cannot do (e.g. a relative destination).
absl::StatusOr<std::vector<MountStep>> PlanMounts(const std::vector<Mount>& mounts,
                                                  const std::string& bundle);

// Parent side, before the clone: a user namespace fd for each id-mapped step
// (set in idmap_userns_fd; the fds are kept in *keep for the child to inherit).
absl::Status PrepareIdmaps(std::vector<MountStep>& steps, std::vector<sys::UniqueFd>* keep);

// True when the spec mounts something at /dev that is not a bind: the
// engine then creates the default device nodes and links.
bool NeedsDevSetup(const std::vector<Mount>& mounts);

}  // namespace cricket::oci::linux
