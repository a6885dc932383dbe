// Which cgroup layout a host has, where the v1 hierarchies are mounted, and
// where a container's cgroup goes (runc's path rules). Parsers are pure.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace cricket::oci::cgroup {

enum class CgroupMode {
  kV1,      // only v1 hierarchies
  kHybrid,  // v1 hierarchies plus a v2 mount at <root>/unified without controllers
  kV2,      // the unified hierarchy at <root>
};

// statfs(root) is CGROUP2_SUPER_MAGIC → kV2; else kHybrid when <root>/unified
// is a cgroup2 mount; else kV1.
absl::StatusOr<CgroupMode> DetectMode(const std::string& root);

// /proc/self/mountinfo text → v1 controller ("cpu", "name=systemd") → mount
// point, for `cgroup` mounts under root.
std::map<std::string, std::string> ParseCgroupMounts(const std::string& mountinfo,
                                                     const std::string& root);

// runc's rule for linux.cgroupsPath on the cgroupfs driver: absolute → cleaned
// as is; relative (empty means the container id) → joined to `own`, the
// caller's cgroup in that hierarchy (v2: the parent of the caller's cgroup).
std::string ResolveCgroupPath(const std::string& cgroups_path, const std::string& container_id,
                              const std::string& own);

}  // namespace cricket::oci::cgroup
