// NewManager: picks the v1/hybrid or v2 manager for the host under o.root,
// resolves the container's cgroup path, and wraps it for the systemd driver.
#include "oci/cgroup/manager.h"

#include "oci/cgroup/cgroup_fs.h"
#include "oci/cgroup/detect.h"
#include "oci/cgroup/systemd.h"
#include "oci/cgroup/v1.h"
#include "oci/cgroup/v2.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/status.h"

namespace cricket::oci::cgroup {
namespace {

std::string Parent(const std::string& path) {
  std::string p = CleanPath(path);
  size_t slash = p.rfind('/');
  return slash == 0 ? "/" : p.substr(0, slash);
}

absl::StatusOr<std::unique_ptr<Manager>> NewV2(const std::string& root, const std::string& path_in,
                                               const ManagerOptions& o,
                                               const std::map<std::string, std::string>& own) {
  // A relative path goes beside the caller's cgroup: its own cgroup holds
  // tasks, and v2 forbids enabling controllers for children of such a cgroup.
  std::string own_parent = Parent(own.count("") ? own.at("") : "/");
  std::string path = path_in.empty() ? ResolveCgroupPath(o.cgroups_path, o.container_id, own_parent)
                                     : path_in;
  return std::unique_ptr<Manager>(new V2Manager(V2Layout{root, path, true}));
}

absl::StatusOr<std::unique_ptr<Manager>> NewV1(const std::string& root, const std::string& path_in,
                                               const ManagerOptions& o, bool hybrid,
                                               const std::map<std::string, std::string>& own) {
  ASSIGN_OR_RETURN(std::string mountinfo, sys::ReadFile("/proc/self/mountinfo"));
  V1Layout l;
  l.mounts = ParseCgroupMounts(mountinfo, root);
  if (l.mounts.empty()) {
    return absl::FailedPreconditionError("no cgroup v1 hierarchy is mounted under " + root);
  }
  for (const auto& [controller, mount] : l.mounts) {
    std::string own_path = own.count(controller) ? own.at(controller) : "/";
    std::string path = path_in.empty()
                           ? ResolveCgroupPath(o.cgroups_path, o.container_id, own_path)
                           : path_in;
    l.dirs[controller] = mount + (path == "/" ? "" : path);
    // Path() reports the pids hierarchy's view (every hierarchy's for absolute paths).
    if (l.path.empty() || controller == "pids") l.path = path;
  }
  if (hybrid) {
    std::string path = path_in.empty() ? ResolveCgroupPath(o.cgroups_path, o.container_id,
                                                           own.count("") ? own.at("") : "/")
                                       : path_in;
    l.unified_dir = root + "/unified" + (path == "/" ? "" : path);
  }
  return std::unique_ptr<Manager>(new V1Manager(std::move(l)));
}

}  // namespace

absl::StatusOr<std::unique_ptr<Manager>> NewManager(const ManagerOptions& o) {
  if (o.cgroups_path.empty() && o.container_id.empty()) {
    return absl::InvalidArgumentError("cgroup: neither cgroupsPath nor container id given");
  }
  ASSIGN_OR_RETURN(CgroupMode mode, DetectMode(o.root));
  ASSIGN_OR_RETURN(std::string self, sys::ReadFile("/proc/self/cgroup"));
  const std::map<std::string, std::string> own = ParseProcCgroup(self);
  std::string fixed_path;  // systemd: the unit's path, the same in every hierarchy
  std::optional<SystemdUnit> unit;
  if (o.systemd) {
    ASSIGN_OR_RETURN(unit, ParseSystemdCgroupsPath(o.cgroups_path, o.container_id));
    fixed_path = unit->path;
  }
  absl::StatusOr<std::unique_ptr<Manager>> fs =
      mode == CgroupMode::kV2 ? NewV2(o.root, fixed_path, o, own)
                              : NewV1(o.root, fixed_path, o, mode == CgroupMode::kHybrid, own);
  if (!fs.ok() || !unit) return fs;
  return NewSystemdManager(*unit, std::move(*fs));
}

}  // namespace cricket::oci::cgroup
