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

// The "oom_kill N" line of either file's text; 0 when there is none.
uint64_t ParseOomKillCount(const std::string& text);

// The counter read through fd (from offset 0); nullopt when fd < 0 or the file
// is unreadable (its cgroup was removed).
std::optional<uint64_t> ReadOomKillCount(int fd);

}  // namespace cricket::pod::monitor
