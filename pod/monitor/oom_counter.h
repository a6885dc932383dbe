// OOM detection that survives the exec into the lean supervisor: the create
// step opens the cgroup file whose oom_kill counter tells an OOM kill apart,
// and whoever supervises reads that fd when init has ended.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::pod::monitor {

// memory.oom_control (v1) or memory.events (v2) of the memory cgroup the
// kernel placed init in (/proc/<pid>/cgroup), under the hierarchies mounted
// at cgroup_root. Needs the engine's cgroup helpers: cricket-monitor only.
absl::StatusOr<sys::UniqueFd> OpenOomCounter(pid_t init_pid,
                                             const std::string& cgroup_root = "/sys/fs/cgroup");

// v2 only: memory.events of the parent of init's cgroup (the pod's cgroup).
// v2 counts an OOM kill in every ancestor of the victim's cgroup, and the
// parent outlives the container's own cgroup, which the systemd driver's
// scope loses (systemd removes an emptied scope's cgroup within ms of the
// kill, usually before the monitor reads it). NotFound on v1 (not
// hierarchical there, and the cgroupfs driver leaves the cgroup in place).
absl::StatusOr<sys::UniqueFd> OpenParentOomCounter(pid_t init_pid,
                                                   const std::string& cgroup_root = "/sys/fs/cgroup");

// The "oom_kill N" line of either file's text; 0 when there is none.
uint64_t ParseOomKillCount(const std::string& text);

// The counter read through fd (from offset 0); nullopt when fd < 0 or the file
// is unreadable (its cgroup was removed).
std::optional<uint64_t> ReadOomKillCount(int fd);

// What the monitor knows of OOM kills when init has ended.
struct OomEvidence {
  std::optional<uint64_t> own;     // the container's counter; nullopt: its cgroup is gone
  std::optional<uint64_t> parent;  // the parent's counter now; nullopt: not known
  uint64_t parent_base = 0;        // the parent's counter when the container was created
};

// An OOM kill: the container's own counter when it can be read; else the
// parent's counter grown since the container was created, taken only for an
// exit by SIGKILL (exit_code 137). The parent also counts siblings' kills, so
// a sibling OOM-killed while this container was SIGKILLed by other hands in
// the same span is misreported; the own counter, when present, is exact.
bool OomKilledAtExit(const OomEvidence& e, int exit_code);

}  // namespace cricket::pod::monitor
