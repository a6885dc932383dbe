// "Decide" half of Set(): which cgroup file gets which value for a Resources,
// for v1 and v2. Pure, so the decisions are table-tested without a kernel; the
// managers only execute the plans, in order.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/cgroup/resources.h"

namespace cricket::oci::cgroup {

// (file name relative to the cgroup dir, value to write), in write order.
using Plan = std::vector<std::pair<std::string, std::string>>;

// v1: file names carry their controller as prefix ("memory.limit_in_bytes" →
// hierarchy "memory"). Device rules become "devices.deny a *:* rwm" followed by
// one devices.allow/devices.deny per rule, as runc did before its emulator.
// InvalidArgument for what v1 cannot express (unified keys, swappiness > 100).
absl::StatusOr<Plan> PlanV1Writes(const Resources& r);

// v2: device rules are not files (see bpf_devices.h) and are not in the plan;
// unified keys come last so they override converted values.
// InvalidArgument for what v2 cannot express (realtime cpu, swap without limit).
absl::StatusOr<Plan> PlanV2Writes(const Resources& r);

// The v1 controller a planned file belongs to ("memory.limit_in_bytes" → "memory").
std::string ControllerOfFile(const std::string& file);

// "c 1:3 rwm" for a device rule (unset/negative numbers → "*").
std::string DeviceRuleString(const DeviceRule& d);

// "mlx5_1 hca_handle=3 hca_object=max": one rdma.max line (same on v1 and v2).
std::string RdmaMaxLine(const std::string& device, const Rdma& d);

// cpu.shares [2, 262144] → cpu.weight [1, 10000], crun's (and runc ≥ 1.3's)
// formula that maps the default 1024 to the default 100. 0 → 0 (unset).
uint64_t CpuSharesToWeight(uint64_t shares);

// blkio.weight [10, 1000] → io.weight [1, 10000] (runc's linear map). 0 → 0.
uint64_t BlkioWeightToIoWeight(uint64_t weight);

// OCI memory.swap (memory+swap) → v2 memory.swap.max (swap alone), runc's
// rules: -1 → unlimited; 0 → unset (unless limit is -1, then -1).
absl::StatusOr<int64_t> SwapToV2(int64_t swap, int64_t limit);

}  // namespace cricket::oci::cgroup
