// The OCI runtime-spec `linux.resources` object as plain structs, plus its JSON
// adapter. Every field is std::optional so "unset" is distinct from 0.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "absl/status/statusor.h"

namespace cricket::oci::cgroup {

// linux.resources.devices[]: one allow/deny rule, applied in order.
struct DeviceRule {
  bool allow = false;
  std::optional<std::string> type;    // "a", "c" or "b"; unset means "a"
  std::optional<int64_t> major;       // unset means any (*)
  std::optional<int64_t> minor;       // unset means any (*)
  std::optional<std::string> access;  // subset of "rwm"; unset means "rwm"
  bool operator==(const DeviceRule&) const = default;
};

struct Memory {
  std::optional<int64_t> limit;
  std::optional<int64_t> reservation;
  std::optional<int64_t> swap;  // memory+swap (memsw) limit, as in runc
  std::optional<int64_t> kernel;
  std::optional<int64_t> kernel_tcp;
  std::optional<uint64_t> swappiness;
  std::optional<bool> disable_oom_killer;
  std::optional<bool> use_hierarchy;
  std::optional<bool> check_before_update;
  bool operator==(const Memory&) const = default;
};

struct Cpu {
  std::optional<uint64_t> shares;
  std::optional<int64_t> quota;
  std::optional<uint64_t> burst;
  std::optional<uint64_t> period;
  std::optional<int64_t> realtime_runtime;
  std::optional<uint64_t> realtime_period;
  std::optional<std::string> cpus;
  std::optional<std::string> mems;
  std::optional<int64_t> idle;
  bool operator==(const Cpu&) const = default;
};

struct Pids {
  std::optional<int64_t> limit;  // <= 0 means unlimited ("max")
  bool operator==(const Pids&) const = default;
};

struct WeightDevice {
  int64_t major = 0;
  int64_t minor = 0;
  std::optional<uint16_t> weight;
  std::optional<uint16_t> leaf_weight;
  bool operator==(const WeightDevice&) const = default;
};

struct ThrottleDevice {
  int64_t major = 0;
  int64_t minor = 0;
  uint64_t rate = 0;
  bool operator==(const ThrottleDevice&) const = default;
};

struct BlockIO {
  std::optional<uint16_t> weight;
  std::optional<uint16_t> leaf_weight;
  std::vector<WeightDevice> weight_device;
  std::vector<ThrottleDevice> throttle_read_bps_device;
  std::vector<ThrottleDevice> throttle_write_bps_device;
  std::vector<ThrottleDevice> throttle_read_iops_device;
  std::vector<ThrottleDevice> throttle_write_iops_device;
  bool operator==(const BlockIO&) const = default;
};

struct HugepageLimit {
  std::string page_size;  // "2MB", "1GB", ...
  uint64_t limit = 0;
  bool operator==(const HugepageLimit&) const = default;
};

struct InterfacePriority {
  std::string name;
  uint32_t priority = 0;
  bool operator==(const InterfacePriority&) const = default;
};

struct Network {
  std::optional<uint32_t> class_id;
  std::vector<InterfacePriority> priorities;
  bool operator==(const Network&) const = default;
};

struct Rdma {
  std::optional<uint32_t> hca_handles;
  std::optional<uint32_t> hca_objects;
  bool operator==(const Rdma&) const = default;
};

struct Resources {
  std::vector<DeviceRule> devices;
  std::optional<Memory> memory;
  std::optional<Cpu> cpu;
  std::optional<Pids> pids;
  std::optional<BlockIO> block_io;
  std::vector<HugepageLimit> hugepage_limits;
  std::optional<Network> network;
  std::map<std::string, Rdma> rdma;  // key: device name, e.g. "mlx5_1"
  std::map<std::string, std::string> unified;
  bool operator==(const Resources&) const = default;
};

// Parses linux.resources. Errors are InvalidArgument and name the JSON path
// ("linux.resources.memory.limit: must be an integer"). Unknown keys are ignored,
// as the runtime-spec allows.
absl::StatusOr<Resources> ResourcesFromJson(const nlohmann::json& j);

// The inverse: only set fields are emitted, with runtime-spec key names.
nlohmann::json ResourcesToJson(const Resources& r);

}  // namespace cricket::oci::cgroup
