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

// The one detector of the host's layout (the engine, the pod layer, the
// monitor and `cricketd check` use it), from the file system magic as runc's
// and systemd's detection do: cgroup2 at root → kV2; a v1 hierarchy straight
// at root → kV1; tmpfs at root → kHybrid when <root>/unified is cgroup2, else
// kV1. Anything else at root is FailedPrecondition, a missing root NotFound.
absl::StatusOr<CgroupMode> DetectMode(const std::string& root);

// "v1", "hybrid", "v2" (as cricket.yaml's cgroup.version and logs name them).
std::string ModeName(CgroupMode mode);

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
