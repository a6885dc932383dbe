// linux.resources JSON → Resources. Each reader checks the JSON type and names
// the offending path, so a bad config.json points at its own key.
#include <limits>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "oci/cgroup/resources.h"
#include "oci/sys/status.h"

namespace cricket::oci::cgroup {
namespace {

using nlohmann::json;

absl::Status Bad(const std::string& path, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", why));
}

// Reads j[key] (when present and not null) into out, checking type and range.
template <typename T>
absl::Status Get(const json& j, const char* key, const std::string& path, std::optional<T>& out) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return absl::OkStatus();
  const std::string p = absl::StrCat(path, ".", key);
  if constexpr (std::is_same_v<T, bool>) {
    if (!it->is_boolean()) return Bad(p, "must be a boolean");
    out = it->template get<bool>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!it->is_string()) return Bad(p, "must be a string");
    out = it->template get<std::string>();
  } else if constexpr (std::is_unsigned_v<T>) {
    if (!it->is_number_integer()) return Bad(p, "must be an integer");
    if (it->is_number_unsigned()) {
      uint64_t v = it->template get<uint64_t>();
      if (v > std::numeric_limits<T>::max()) return Bad(p, "out of range");
      out = static_cast<T>(v);
    } else {
      int64_t v = it->template get<int64_t>();
      if (v < 0) return Bad(p, "must not be negative");
      if (static_cast<uint64_t>(v) > std::numeric_limits<T>::max()) return Bad(p, "out of range");
      out = static_cast<T>(v);
    }
  } else {
    if (!it->is_number_integer()) return Bad(p, "must be an integer");
    if (it->is_number_unsigned() &&
        it->template get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<T>::max())) {
      return Bad(p, "out of range");
    }
    out = it->template get<T>();
  }
  return absl::OkStatus();
}

// A required field: present and valid.
template <typename T>
absl::Status Need(const json& j, const char* key, const std::string& path, T& out) {
  std::optional<T> v;
  RETURN_IF_ERROR(Get(j, key, path, v));
  if (!v) return Bad(absl::StrCat(path, ".", key), "is required");
  out = *v;
  return absl::OkStatus();
}

// j[key] as an object or array (nullptr when absent/null).
absl::StatusOr<const json*> Sub(const json& j, const char* key, const std::string& path,
                                bool array) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  if (array && !it->is_array()) return Bad(absl::StrCat(path, ".", key), "must be an array");
  if (!array && !it->is_object()) return Bad(absl::StrCat(path, ".", key), "must be an object");
  return &*it;
}

absl::Status ReadDevices(const json& arr, const std::string& path, std::vector<DeviceRule>& out) {
  for (size_t i = 0; i < arr.size(); ++i) {
    const std::string p = absl::StrCat(path, "[", i, "]");
    if (!arr[i].is_object()) return Bad(p, "must be an object");
    DeviceRule d;
    RETURN_IF_ERROR(Need(arr[i], "allow", p, d.allow));
    RETURN_IF_ERROR(Get(arr[i], "type", p, d.type));
    RETURN_IF_ERROR(Get(arr[i], "major", p, d.major));
    RETURN_IF_ERROR(Get(arr[i], "minor", p, d.minor));
    RETURN_IF_ERROR(Get(arr[i], "access", p, d.access));
    if (d.type && *d.type != "a" && *d.type != "b" && *d.type != "c") {
      return Bad(p + ".type", "must be \"a\", \"b\" or \"c\"");
    }
    if (d.access && d.access->find_first_not_of("rwm") != std::string::npos) {
      return Bad(p + ".access", "must only contain r, w and m");
    }
    out.push_back(std::move(d));
  }
  return absl::OkStatus();
}

absl::Status ReadMemory(const json& m, const std::string& p, Memory& out) {
  RETURN_IF_ERROR(Get(m, "limit", p, out.limit));
  RETURN_IF_ERROR(Get(m, "reservation", p, out.reservation));
  RETURN_IF_ERROR(Get(m, "swap", p, out.swap));
  RETURN_IF_ERROR(Get(m, "kernel", p, out.kernel));
  RETURN_IF_ERROR(Get(m, "kernelTCP", p, out.kernel_tcp));
  RETURN_IF_ERROR(Get(m, "swappiness", p, out.swappiness));
  RETURN_IF_ERROR(Get(m, "disableOOMKiller", p, out.disable_oom_killer));
  RETURN_IF_ERROR(Get(m, "useHierarchy", p, out.use_hierarchy));
  return Get(m, "checkBeforeUpdate", p, out.check_before_update);
}

absl::Status ReadCpu(const json& c, const std::string& p, Cpu& out) {
  RETURN_IF_ERROR(Get(c, "shares", p, out.shares));
  RETURN_IF_ERROR(Get(c, "quota", p, out.quota));
  RETURN_IF_ERROR(Get(c, "burst", p, out.burst));
  RETURN_IF_ERROR(Get(c, "period", p, out.period));
  RETURN_IF_ERROR(Get(c, "realtimeRuntime", p, out.realtime_runtime));
  RETURN_IF_ERROR(Get(c, "realtimePeriod", p, out.realtime_period));
  RETURN_IF_ERROR(Get(c, "cpus", p, out.cpus));
  RETURN_IF_ERROR(Get(c, "mems", p, out.mems));
  return Get(c, "idle", p, out.idle);
}

absl::Status ReadThrottle(const json& b, const char* key, const std::string& path,
                          std::vector<ThrottleDevice>& out) {
  ASSIGN_OR_RETURN(const json* arr, Sub(b, key, path, true));
  if (arr == nullptr) return absl::OkStatus();
  for (size_t i = 0; i < arr->size(); ++i) {
    const std::string p = absl::StrCat(path, ".", key, "[", i, "]");
    if (!(*arr)[i].is_object()) return Bad(p, "must be an object");
    ThrottleDevice t;
    RETURN_IF_ERROR(Need((*arr)[i], "major", p, t.major));
    RETURN_IF_ERROR(Need((*arr)[i], "minor", p, t.minor));
    RETURN_IF_ERROR(Need((*arr)[i], "rate", p, t.rate));
    out.push_back(t);
  }
  return absl::OkStatus();
}

absl::Status ReadBlockIO(const json& b, const std::string& p, BlockIO& out) {
  RETURN_IF_ERROR(Get(b, "weight", p, out.weight));
  RETURN_IF_ERROR(Get(b, "leafWeight", p, out.leaf_weight));
  ASSIGN_OR_RETURN(const json* wd, Sub(b, "weightDevice", p, true));
  for (size_t i = 0; wd != nullptr && i < wd->size(); ++i) {
    const std::string ip = absl::StrCat(p, ".weightDevice[", i, "]");
    if (!(*wd)[i].is_object()) return Bad(ip, "must be an object");
    WeightDevice w;
    RETURN_IF_ERROR(Need((*wd)[i], "major", ip, w.major));
    RETURN_IF_ERROR(Need((*wd)[i], "minor", ip, w.minor));
    RETURN_IF_ERROR(Get((*wd)[i], "weight", ip, w.weight));
    RETURN_IF_ERROR(Get((*wd)[i], "leafWeight", ip, w.leaf_weight));
    out.weight_device.push_back(w);
  }
  RETURN_IF_ERROR(ReadThrottle(b, "throttleReadBpsDevice", p, out.throttle_read_bps_device));
  RETURN_IF_ERROR(ReadThrottle(b, "throttleWriteBpsDevice", p, out.throttle_write_bps_device));
  RETURN_IF_ERROR(ReadThrottle(b, "throttleReadIOPSDevice", p, out.throttle_read_iops_device));
  return ReadThrottle(b, "throttleWriteIOPSDevice", p, out.throttle_write_iops_device);
}

absl::Status ReadNetwork(const json& n, const std::string& p, Network& out) {
  RETURN_IF_ERROR(Get(n, "classID", p, out.class_id));
  ASSIGN_OR_RETURN(const json* pr, Sub(n, "priorities", p, true));
  for (size_t i = 0; pr != nullptr && i < pr->size(); ++i) {
    const std::string ip = absl::StrCat(p, ".priorities[", i, "]");
    if (!(*pr)[i].is_object()) return Bad(ip, "must be an object");
    InterfacePriority ifp;
    RETURN_IF_ERROR(Need((*pr)[i], "name", ip, ifp.name));
    RETURN_IF_ERROR(Need((*pr)[i], "priority", ip, ifp.priority));
    out.priorities.push_back(ifp);
  }
  return absl::OkStatus();
}

absl::Status ReadHugepages(const json& arr, const std::string& path,
                           std::vector<HugepageLimit>& out) {
  for (size_t i = 0; i < arr.size(); ++i) {
    const std::string p = absl::StrCat(path, "[", i, "]");
    if (!arr[i].is_object()) return Bad(p, "must be an object");
    HugepageLimit h;
    RETURN_IF_ERROR(Need(arr[i], "pageSize", p, h.page_size));
    RETURN_IF_ERROR(Need(arr[i], "limit", p, h.limit));
    out.push_back(h);
  }
  return absl::OkStatus();
}

absl::Status ReadMaps(const json& j, const std::string& path, Resources& r) {
  ASSIGN_OR_RETURN(const json* rdma, Sub(j, "rdma", path, false));
  for (auto it = rdma ? rdma->begin() : json::const_iterator(); rdma && it != rdma->end(); ++it) {
    const std::string p = absl::StrCat(path, ".rdma.", it.key());
    if (!it->is_object()) return Bad(p, "must be an object");
    Rdma d;
    RETURN_IF_ERROR(Get(*it, "hcaHandles", p, d.hca_handles));
    RETURN_IF_ERROR(Get(*it, "hcaObjects", p, d.hca_objects));
    r.rdma[it.key()] = d;
  }
  ASSIGN_OR_RETURN(const json* uni, Sub(j, "unified", path, false));
  for (auto it = uni ? uni->begin() : json::const_iterator(); uni && it != uni->end(); ++it) {
    if (!it->is_string()) return Bad(absl::StrCat(path, ".unified.", it.key()), "must be a string");
    r.unified[it.key()] = it->get<std::string>();
  }
  return absl::OkStatus();
}

absl::StatusOr<Resources> Parse(const json& j) {
  const std::string path = "linux.resources";
  if (j.is_null()) return Resources{};
  if (!j.is_object()) return Bad(path, "must be an object");
  Resources r;
  ASSIGN_OR_RETURN(const json* dev, Sub(j, "devices", path, true));
  if (dev) RETURN_IF_ERROR(ReadDevices(*dev, path + ".devices", r.devices));
  ASSIGN_OR_RETURN(const json* mem, Sub(j, "memory", path, false));
  if (mem) RETURN_IF_ERROR(ReadMemory(*mem, path + ".memory", r.memory.emplace()));
  ASSIGN_OR_RETURN(const json* cpu, Sub(j, "cpu", path, false));
  if (cpu) RETURN_IF_ERROR(ReadCpu(*cpu, path + ".cpu", r.cpu.emplace()));
  ASSIGN_OR_RETURN(const json* pids, Sub(j, "pids", path, false));
  if (pids) RETURN_IF_ERROR(Get(*pids, "limit", path + ".pids", r.pids.emplace().limit));
  ASSIGN_OR_RETURN(const json* bio, Sub(j, "blockIO", path, false));
  if (bio) RETURN_IF_ERROR(ReadBlockIO(*bio, path + ".blockIO", r.block_io.emplace()));
  ASSIGN_OR_RETURN(const json* huge, Sub(j, "hugepageLimits", path, true));
  if (huge) RETURN_IF_ERROR(ReadHugepages(*huge, path + ".hugepageLimits", r.hugepage_limits));
  ASSIGN_OR_RETURN(const json* net, Sub(j, "network", path, false));
  if (net) RETURN_IF_ERROR(ReadNetwork(*net, path + ".network", r.network.emplace()));
  RETURN_IF_ERROR(ReadMaps(j, path, r));
  return r;
}

}  // namespace

absl::StatusOr<Resources> ResourcesFromJson(const nlohmann::json& j) {
  try {
    return Parse(j);
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat("linux.resources: ", e.what()));
  }
}

}  // namespace cricket::oci::cgroup
