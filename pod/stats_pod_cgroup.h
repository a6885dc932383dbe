// Pod-level cgroup statistics: read from the pod's cgroup parent (the one the
// kubelet gives in linux.cgroup_parent) when it exists, else summed over the
// pod's containers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/cgroup/stats.h"

namespace cricket::pod {

// The cgroup path (from the hierarchy root) of a pod's cgroup_parent:
// systemd slices ("kubepods-pod1.slice") expanded, cgroupfs paths as given.
// nullopt when there is none or it is relative (nothing to read for the pod).
std::optional<std::string> PodCgroupPath(const std::string& cgroup_parent);

// Stats of the cgroup at `path` under root (v1, hybrid or v2); nullopt when
// the cgroup does not exist there.
absl::StatusOr<std::optional<oci::cgroup::Stats>> ReadPodCgroupStats(const std::string& root,
                                                                     const std::string& path);

// The sum of the counters a pod reports (cpu usage, memory usage and memory.stat
// entries, pids) over its containers' stats.
oci::cgroup::Stats SumStats(const std::vector<oci::cgroup::Stats>& parts);

}  // namespace cricket::pod
