// Pure parsers for the text formats of cgroup files (v1 and v2), shared by
// the stats readers and the managers.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/cgroup/stats.h"

namespace cricket::oci::cgroup {

inline constexpr uint64_t kMaxValue = std::numeric_limits<uint64_t>::max();

// One number ("123\n"); "max" (v2 unlimited) → kMaxValue.
absl::StatusOr<uint64_t> ParseUint(const std::string& text);

// Space-separated numbers on one line (cpuacct.usage_percpu).
absl::StatusOr<std::vector<uint64_t>> ParseUintList(const std::string& text);

// "key value" lines (memory.stat, cpu.stat, cpuacct.stat, memory.events,
// memory.oom_control). Lines that are not "<word> <uint>" are errors.
absl::StatusOr<std::map<std::string, uint64_t>> ParseFlatKeyed(const std::string& text);

// v1 blkio.*_recursive / blkio.throttle.io_service*: "8:0 Read 123" lines; the
// trailing "Total N" summary line is skipped.
absl::StatusOr<std::vector<BlkioEntry>> ParseBlkioV1(const std::string& text);

// v2 io.stat: "8:0 rbytes=1 wbytes=2 rios=3 wios=4 dbytes=0 dios=0" → runc's
// entries (bytes → io_service_bytes, ios → io_serviced; ops Read/Write/Discard).
absl::StatusOr<BlkioStats> ParseIoStatV2(const std::string& text);

// The page-size name runc uses ("2MB", "1GB", "64KB") for a size in bytes.
std::string HugePageSizeName(uint64_t bytes);

}  // namespace cricket::oci::cgroup
