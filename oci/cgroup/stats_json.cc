// Stats → the JSON runc prints in `runc events --stats` ("data" of a stats
// event), keeping runc's key names and its omitempty choices.
#include "nlohmann/json.hpp"
#include "oci/cgroup/stats.h"

namespace cricket::oci::cgroup {
namespace {

using nlohmann::json;

// Go's `omitempty` on a number: drop zero values.
void PutNonZero(json& j, const char* key, uint64_t v) {
  if (v != 0) j[key] = v;
}

void PutList(json& j, const char* key, const std::vector<uint64_t>& v) {
  if (!v.empty()) j[key] = v;
}

json EntryJson(const MemoryEntry& e) {
  json j = {{"limit", e.limit}, {"failcnt", e.failcnt}};
  PutNonZero(j, "usage", e.usage);
  PutNonZero(j, "max", e.max);
  return j;
}

json CpuJson(const CpuStats& c) {
  json usage = {{"kernel", c.usage.kernel}, {"user", c.usage.user}};
  PutNonZero(usage, "total", c.usage.total);
  PutList(usage, "percpu", c.usage.percpu);
  PutList(usage, "percpu_kernel", c.usage.percpu_kernel);
  PutList(usage, "percpu_user", c.usage.percpu_user);
  json thr = json::object();
  PutNonZero(thr, "periods", c.throttling.periods);
  PutNonZero(thr, "throttledPeriods", c.throttling.throttled_periods);
  PutNonZero(thr, "throttledTime", c.throttling.throttled_time);
  return {{"usage", usage}, {"throttling", thr}};
}

json MemoryJson(const MemoryStats& m, uint64_t oom_kill) {
  json j = {{"usage", EntryJson(m.usage)},
            {"swap", EntryJson(m.swap)},
            {"kernel", EntryJson(m.kernel)},
            {"kernelTCP", EntryJson(m.kernel_tcp)}};
  PutNonZero(j, "cache", m.cache);
  if (!m.raw.empty()) j["raw"] = m.raw;
  // Not in runc's schema: the OOM-kill count, for consumers that want it
  // without subscribing to "oom" events.
  PutNonZero(j, "oom_kill", oom_kill);
  return j;
}

json BlkioList(const std::vector<BlkioEntry>& v) {
  json arr = json::array();
  for (const auto& e : v) {
    json j = json::object();
    PutNonZero(j, "major", e.major);
    PutNonZero(j, "minor", e.minor);
    if (!e.op.empty()) j["op"] = e.op;
    PutNonZero(j, "value", e.value);
    arr.push_back(j);
  }
  return arr;
}

}  // namespace

nlohmann::json StatsToJson(const Stats& s) {
  json blkio = json::object();
  if (!s.blkio.io_service_bytes_recursive.empty()) {
    blkio["ioServiceBytesRecursive"] = BlkioList(s.blkio.io_service_bytes_recursive);
  }
  if (!s.blkio.io_serviced_recursive.empty()) {
    blkio["ioServicedRecursive"] = BlkioList(s.blkio.io_serviced_recursive);
  }
  json pids = json::object();
  PutNonZero(pids, "current", s.pids.current);
  PutNonZero(pids, "limit", s.pids.limit);
  json huge = json::object();
  for (const auto& [size, h] : s.hugetlb) {
    json e = {{"failcnt", h.failcnt}};
    PutNonZero(e, "usage", h.usage);
    PutNonZero(e, "max", h.max);
    huge[size] = e;
  }
  return {{"cpu", CpuJson(s.cpu)},     {"cpuset", json::object()},
          {"memory", MemoryJson(s.memory, s.oom_kill)},
          {"pids", pids},              {"blkio", blkio},
          {"hugetlb", huge}};
}

}  // namespace cricket::oci::cgroup
