// The kubelet's memory figures from a cgroup's stats, for v1 (total_* names
// in memory.stat, a huge number for "no limit") and v2 (plain names, "max").
// Pure: tested against temp dirs laid out like each hierarchy.
#pragma once

#include <cstdint>
#include <optional>

#include "oci/cgroup/stats.h"

namespace cricket::pod {

struct MemoryFigures {
  uint64_t usage = 0;
  uint64_t working_set = 0;  // usage - inactive_file, never below 0 (cAdvisor's rule)
  uint64_t rss = 0;          // v1 total_rss, v2 anon
  uint64_t cache = 0;        // v1 total_cache, v2 file
  uint64_t page_faults = 0, major_page_faults = 0;
  std::optional<uint64_t> available;  // limit - working set, when there is a limit
};

MemoryFigures ComputeMemory(const oci::cgroup::Stats& s);

// A memory.stat entry by its v1 (hierarchical total_*) or v2 name; 0 when absent.
uint64_t MemStat(const oci::cgroup::Stats& s, const char* v1_name, const char* v2_name);

}  // namespace cricket::pod
