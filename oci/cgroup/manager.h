// The cgroup manager interface the OCI engine drives: one container's cgroup
// on v1, v2 or hybrid hosts, with the cgroupfs or systemd driver.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/cgroup/resources.h"
#include "oci/cgroup/stats.h"

namespace cricket::oci::cgroup {

struct ManagerOptions {
  // linux.cgroupsPath, with runc's rules. cgroupfs: "/abs/path" is relative to
  // each hierarchy root; a relative path (and empty, which means "<container_id>")
  // is joined to the caller's own cgroup (v1: per hierarchy from /proc/self/cgroup;
  // v2: the parent of the caller's cgroup, whose own tasks block subtree_control).
  // systemd: "slice:prefix:name" (empty → "system.slice:cricket:<container_id>").
  std::string cgroups_path;
  std::string container_id;
  bool systemd = false;
  std::string root = "/sys/fs/cgroup";
};

class Manager {
 public:
  virtual ~Manager() = default;

  // Makes the dirs (every v1 hierarchy / the v2 dir, enabling controllers in parents).
  virtual absl::Status Create() = 0;
  virtual absl::Status AddProcess(pid_t pid) = 0;
  // Dirs a new, single-threaded process can join by itself with JoinSelf,
  // in place of the parent's AddProcess. Moving the writing thread through
  // cgroup v1 `tasks` skips the kernel's global threadgroup lock, whose RCU
  // grace period cost 5-12 ms per container on a 2-CPU host. Empty when
  // that cannot cover the whole cgroup: v2 and the unified dir of a hybrid
  // host (cgroup.procs always takes the lock), the systemd driver.
  virtual std::vector<std::string> SelfJoinDirs() const { return {}; }
  // Applies resources, including device rules.
  virtual absl::Status Set(const Resources& r) = 0;
  virtual absl::Status Freeze() = 0;
  virtual absl::Status Thaw() = 0;
  virtual absl::StatusOr<Stats> GetStats() = 0;
  virtual absl::StatusOr<std::vector<pid_t>> Pids() = 0;
  virtual absl::Status KillAll(int sig) = 0;
  // Kills leftovers and removes the dirs (rmdir, retried briefly on EBUSY).
  virtual absl::Status Destroy() = 0;
  // memory.events oom_kill > 0 (v2) / memory.oom_control oom_kill > 0 (v1).
  virtual bool OomKilled() = 0;
  // The container's cgroup path relative to the hierarchy root ("/cricket/x").
  virtual std::string Path() const = 0;
};

// Detects v1 / v2 / hybrid under o.root and returns the matching manager. With
// o.systemd and no systemd running: FailedPrecondition.
absl::StatusOr<std::unique_ptr<Manager>> NewManager(const ManagerOptions& o);

}  // namespace cricket::oci::cgroup
