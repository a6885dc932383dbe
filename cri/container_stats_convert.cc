// The kubelet's memory rule: working set = usage - inactive file pages
// (v1 names them total_*, v2 without the prefix), never below zero.
#include "cri/container_stats_convert.h"

namespace cricket::cri {
namespace {

uint64_t Raw(const oci::cgroup::Stats& s, const std::string& v1_name, const std::string& v2_name) {
  for (const std::string& n : {v1_name, v2_name}) {
    auto it = s.memory.raw.find(n);
    if (it != s.memory.raw.end()) return it->second;
  }
  return 0;
}

}  // namespace

void FillContainerStats(const pod::Container& c, const oci::cgroup::Stats& s, int64_t now_ns,
                        runtime::v1::ContainerStats* out) {
  auto* a = out->mutable_attributes();
  a->set_id(c.id);
  *a->mutable_metadata() = c.config.metadata();
  a->mutable_labels()->insert(c.labels.begin(), c.labels.end());
  a->mutable_annotations()->insert(c.annotations.begin(), c.annotations.end());

  auto* cpu = out->mutable_cpu();
  cpu->set_timestamp(now_ns);
  cpu->mutable_usage_core_nano_seconds()->set_value(s.cpu.usage.total);

  auto* mem = out->mutable_memory();
  mem->set_timestamp(now_ns);
  uint64_t usage = s.memory.usage.usage;
  uint64_t inactive = Raw(s, "total_inactive_file", "inactive_file");
  uint64_t working_set = usage > inactive ? usage - inactive : 0;
  mem->mutable_usage_bytes()->set_value(usage);
  mem->mutable_working_set_bytes()->set_value(working_set);
  mem->mutable_rss_bytes()->set_value(Raw(s, "total_rss", "anon"));
  mem->mutable_page_faults()->set_value(Raw(s, "total_pgfault", "pgfault"));
  mem->mutable_major_page_faults()->set_value(Raw(s, "total_pgmajfault", "pgmajfault"));
  // An unset limit reads as a huge number (v1) or 0 (v2 "max"): no "available" then.
  uint64_t limit = s.memory.usage.limit;
  if (limit > 0 && limit < (1ULL << 62)) {
    mem->mutable_available_bytes()->set_value(limit > working_set ? limit - working_set : 0);
  }
}

}  // namespace cricket::cri
