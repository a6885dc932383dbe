// process.rlimits and process.oomScoreAdj, clamped to what this process may
// set: without CAP_SYS_RESOURCE a hard limit cannot rise above the current
// one and oom_score_adj cannot go below the current value (containerd's
// restrict_oom_score_adj); each clamp is logged.
#pragma once

#include <sys/resource.h>

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/spec.h"

namespace cricket::oci::linux {

// "RLIMIT_NOFILE" → RLIMIT_NOFILE. InvalidArgument for an unknown name.
absl::StatusOr<int> RlimitResource(const std::string& name);

struct ClampedLimit {
  uint64_t soft = 0, hard = 0;
  bool clamped = false;
};
// Pure: the limit to set given the current hard limit and whether raising is allowed.
ClampedLimit ClampRlimit(uint64_t soft, uint64_t hard, uint64_t current_hard, bool can_raise);
// Pure: the oom_score_adj to write.
int ClampOomScoreAdj(int wanted, int current, bool can_lower);

absl::Status ApplyRlimits(const std::vector<Rlimit>& limits);
// Writes /proc/<pid>/oom_score_adj ("self" when pid is 0).
absl::Status ApplyOomScoreAdj(int wanted, int pid = 0);

}  // namespace cricket::oci::linux
