// What checkpoint.cc and restore.cc share: the criu flags both take, the
// mounts criu must treat as external, and the descriptors.json record.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/spec.h"

namespace cricket::oci::internal {

struct CriuCommonFlags {
  bool tcp_established = false, ext_unix_sk = false, shell_job = false, file_locks = false,
       auto_dedup = false;
  std::string manage_cgroups_mode;
  std::vector<std::string> empty_ns;
};

// The criu arguments for those flags; InvalidArgument for a cgroups mode
// other than soft, full, strict or ignore, or an --empty-ns other than network
// (runc's only one).
absl::StatusOr<std::vector<std::string>> CriuFlags(const CriuCommonFlags& f);

// `--external mnt[<dest>]:<value>` for every mount criu cannot dump itself
// (runc's list): bind mounts (value: dest when dumping, the source when
// restoring), masked files (/dev/null on restore) and, on a cgroup v1 host
// without a cgroup namespace, the binds of the cgroup mount
// (`cgroup_dir(<hierarchy mount point>)` on restore). Pure.
struct ExternalMountInput {
  const Spec* spec = nullptr;
  bool restore = false;
  std::vector<std::string> masked_files;      // masked paths that are not dirs
  std::vector<std::string> cgroup_v1_mounts;  // host hierarchy mount points (/sys/fs/cgroup/cpu)
  std::string cgroup_path;                    // the container's ("/cricket/x"), for restore
};
std::vector<std::string> ExternalMountFlags(const ExternalMountInput& in);

// The v1 hierarchy mount points under /sys/fs/cgroup the engine binds for a
// "cgroup" mount (none on a pure v2 host).
std::vector<std::string> CgroupV1MountPoints();

// runc's descriptors.json: what fds 0, 1, 2 of init point at
// ("/dev/null", "pipe:[1234]"), written into the image dir at dump.
constexpr const char* kDescriptorsFile = "descriptors.json";

}  // namespace cricket::oci::internal
