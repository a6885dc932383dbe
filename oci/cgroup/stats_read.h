// Reading Stats from a container's cgroup files: v1 (one dir per controller)
// and v2 (one dir). Missing files (an unmounted controller, an older kernel)
// leave their fields zero; malformed files are errors.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "oci/cgroup/stats.h"

namespace cricket::oci::cgroup {

// dirs: controller name ("cpuacct", "memory", ...) → the container's dir in it.
absl::StatusOr<Stats> ReadStatsV1(const std::map<std::string, std::string>& dirs);

absl::StatusOr<Stats> ReadStatsV2(const std::string& dir);

}  // namespace cricket::oci::cgroup
