// Memory figures (working set, rss, faults, available) from cgroup stats.
#include "pod/stats_memory.h"

namespace cricket::pod {

uint64_t MemStat(const oci::cgroup::Stats& s, const char* v1_name, const char* v2_name) {
  for (const char* n : {v1_name, v2_name}) {
    auto it = s.memory.raw.find(n);
    if (it != s.memory.raw.end()) return it->second;
  }
  return 0;
}

MemoryFigures ComputeMemory(const oci::cgroup::Stats& s) {
  MemoryFigures m;
  m.usage = s.memory.usage.usage;
  uint64_t inactive = MemStat(s, "total_inactive_file", "inactive_file");
  m.working_set = m.usage > inactive ? m.usage - inactive : 0;
  m.rss = MemStat(s, "total_rss", "anon");
  m.cache = MemStat(s, "total_cache", "file");
  m.page_faults = MemStat(s, "total_pgfault", "pgfault");
  m.major_page_faults = MemStat(s, "total_pgmajfault", "pgmajfault");
  // No limit reads as a huge page-rounded number on v1 and "max" (all ones) on v2.
  uint64_t limit = s.memory.usage.limit;
  if (limit > 0 && limit < (1ULL << 62)) {
    m.available = limit > m.working_set ? limit - m.working_set : 0;
  }
  return m;
}

}  // namespace cricket::pod
