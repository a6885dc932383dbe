// Resources → linux.resources JSON, emitting only the fields that are set.
#include "nlohmann/json.hpp"
#include "oci/cgroup/resources.h"

namespace cricket::oci::cgroup {
namespace {

using nlohmann::json;

template <typename T>
void Put(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

json DeviceJson(const DeviceRule& d) {
  json j = {{"allow", d.allow}};
  Put(j, "type", d.type);
  Put(j, "major", d.major);
  Put(j, "minor", d.minor);
  Put(j, "access", d.access);
  return j;
}

json MemoryJson(const Memory& m) {
  json j = json::object();
  Put(j, "limit", m.limit);
  Put(j, "reservation", m.reservation);
  Put(j, "swap", m.swap);
  Put(j, "kernel", m.kernel);
  Put(j, "kernelTCP", m.kernel_tcp);
  Put(j, "swappiness", m.swappiness);
  Put(j, "disableOOMKiller", m.disable_oom_killer);
  Put(j, "useHierarchy", m.use_hierarchy);
  Put(j, "checkBeforeUpdate", m.check_before_update);
  return j;
}

json CpuJson(const Cpu& c) {
  json j = json::object();
  Put(j, "shares", c.shares);
  Put(j, "quota", c.quota);
  Put(j, "burst", c.burst);
  Put(j, "period", c.period);
  Put(j, "realtimeRuntime", c.realtime_runtime);
  Put(j, "realtimePeriod", c.realtime_period);
  Put(j, "cpus", c.cpus);
  Put(j, "mems", c.mems);
  Put(j, "idle", c.idle);
  return j;
}

void PutThrottle(json& j, const char* key, const std::vector<ThrottleDevice>& v) {
  if (v.empty()) return;
  json arr = json::array();
  for (const auto& t : v) arr.push_back({{"major", t.major}, {"minor", t.minor}, {"rate", t.rate}});
  j[key] = arr;
}

json BlockIOJson(const BlockIO& b) {
  json j = json::object();
  Put(j, "weight", b.weight);
  Put(j, "leafWeight", b.leaf_weight);
  if (!b.weight_device.empty()) {
    json arr = json::array();
    for (const auto& w : b.weight_device) {
      json e = {{"major", w.major}, {"minor", w.minor}};
      Put(e, "weight", w.weight);
      Put(e, "leafWeight", w.leaf_weight);
      arr.push_back(e);
    }
    j["weightDevice"] = arr;
  }
  PutThrottle(j, "throttleReadBpsDevice", b.throttle_read_bps_device);
  PutThrottle(j, "throttleWriteBpsDevice", b.throttle_write_bps_device);
  PutThrottle(j, "throttleReadIOPSDevice", b.throttle_read_iops_device);
  PutThrottle(j, "throttleWriteIOPSDevice", b.throttle_write_iops_device);
  return j;
}

json NetworkJson(const Network& n) {
  json j = json::object();
  Put(j, "classID", n.class_id);
  if (!n.priorities.empty()) {
    json arr = json::array();
    for (const auto& p : n.priorities) arr.push_back({{"name", p.name}, {"priority", p.priority}});
    j["priorities"] = arr;
  }
  return j;
}

}  // namespace

nlohmann::json ResourcesToJson(const Resources& r) {
  json j = json::object();
  if (!r.devices.empty()) {
    json arr = json::array();
    for (const auto& d : r.devices) arr.push_back(DeviceJson(d));
    j["devices"] = arr;
  }
  if (r.memory) j["memory"] = MemoryJson(*r.memory);
  if (r.cpu) j["cpu"] = CpuJson(*r.cpu);
  if (r.pids) {
    j["pids"] = json::object();
    Put(j["pids"], "limit", r.pids->limit);
  }
  if (r.block_io) j["blockIO"] = BlockIOJson(*r.block_io);
  if (!r.hugepage_limits.empty()) {
    json arr = json::array();
    for (const auto& h : r.hugepage_limits) {
      arr.push_back({{"pageSize", h.page_size}, {"limit", h.limit}});
    }
    j["hugepageLimits"] = arr;
  }
  if (r.network) j["network"] = NetworkJson(*r.network);
  if (!r.rdma.empty()) {
    json o = json::object();
    for (const auto& [dev, d] : r.rdma) {
      o[dev] = json::object();
      Put(o[dev], "hcaHandles", d.hca_handles);
      Put(o[dev], "hcaObjects", d.hca_objects);
    }
    j["rdma"] = o;
  }
  if (!r.unified.empty()) j["unified"] = r.unified;
  return j;
}

}  // namespace cricket::oci::cgroup
