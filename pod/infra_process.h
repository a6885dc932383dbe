// The pod's infra process (cricket-pause): PID 1 of the pod's own pid namespace,
// started only when the pod shares one pid namespace (NamespaceMode POD). It
// joins the pod's pinned net/ipc/uts namespaces, lives in its own cgroup under
// the pod's cgroup parent, is detached from cricketd (survives restarts), and
// is named by (pid, start time) so a recycled pid is never signalled.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "oci/sys/rollback.h"

namespace cricket::pod {

struct InfraSpec {
  std::string pause_path;                            // absolute path of cricket-pause
  std::string pod_id;
  std::string netns_path, ipc_ns_path, uts_ns_path;  // joined when not empty
  std::string userns_path;  // joined first when not empty: it then owns the new pid namespace
  std::string ns_dir;                                // the pid namespace is pinned at <ns_dir>/pid
  std::string cgroups_path;                          // OCI form (InfraCgroupsPath)
  bool systemd_cgroup = false;
  std::string cgroup_root = "/sys/fs/cgroup";
  std::string log_path;                              // its stderr; "" → /dev/null
};

struct InfraState {
  pid_t pid = 0;
  uint64_t start_time = 0;  // /proc/<pid>/stat field 22
  std::string pid_ns_path;  // the pin
};

// Cgroup (cpu shares 2, as containerd gives its pause container), spawn, join
// the cgroup, pin the pid namespace. Each undo is registered in rb before its step.
absl::Status StartInfra(const InfraSpec& spec, InfraState* out, sys::Rollback& rb);

// SIGTERM, then SIGKILL if it lingers; OK when it is gone or is another process now.
absl::Status StopInfra(pid_t pid, uint64_t start_time);

// Removes the infra cgroup (killing leftovers); OK when it does not exist.
absl::Status DestroyInfraCgroup(const std::string& cgroups_path, bool systemd_cgroup,
                                const std::string& cgroup_root, const std::string& pod_id);

// Alive and still the same process.
bool InfraAlive(pid_t pid, uint64_t start_time);

// Where cricket-pause is: next to the monitor (how cricketd finds its partner
// programs), else next to our own executable or in a build tree's pod/.
std::string ResolveInfraPath(const std::string& monitor_path);

}  // namespace cricket::pod
