// PlanV1Writes: Resources → v1 cgroupfs writes, following runc's fs driver.
#include <cmath>

#include "absl/strings/str_cat.h"
#include "oci/cgroup/plan.h"
#include "oci/sys/status.h"

namespace cricket::oci::cgroup {
namespace {

std::string Num(int64_t v) { return absl::StrCat(v); }
std::string Dev(int64_t major, int64_t minor) { return absl::StrCat(major, ":", minor); }

void PlanCpu(const Cpu& c, Plan& p) {
  if (c.shares.value_or(0) != 0) p.emplace_back("cpu.shares", Num(*c.shares));
  // Period before quota: a quota larger than the old period's bound would fail.
  if (c.period.value_or(0) != 0) p.emplace_back("cpu.cfs_period_us", Num(*c.period));
  if (c.quota.value_or(0) != 0) p.emplace_back("cpu.cfs_quota_us", Num(*c.quota));
  if (c.burst) p.emplace_back("cpu.cfs_burst_us", Num(*c.burst));
  // rt_period before rt_runtime, as runc: the runtime is bounded by the period.
  if (c.realtime_period.value_or(0) != 0) p.emplace_back("cpu.rt_period_us", Num(*c.realtime_period));
  if (c.realtime_runtime.value_or(0) != 0) {
    p.emplace_back("cpu.rt_runtime_us", Num(*c.realtime_runtime));
  }
  if (c.idle) p.emplace_back("cpu.idle", Num(*c.idle));
  if (c.cpus && !c.cpus->empty()) p.emplace_back("cpuset.cpus", *c.cpus);
  if (c.mems && !c.mems->empty()) p.emplace_back("cpuset.mems", *c.mems);
}

absl::Status PlanMemory(const Memory& m, Plan& p) {
  // The manager orders limit and memsw at run time (the kernel requires
  // memsw >= limit at every step); the plan keeps runc's limit-then-swap order.
  if (m.limit.value_or(0) != 0) p.emplace_back("memory.limit_in_bytes", Num(*m.limit));
  int64_t swap = m.swap.value_or(0);
  if (swap == 0 && m.limit.value_or(0) == -1) swap = -1;  // unlimited memory ⇒ unlimited swap
  if (swap != 0) p.emplace_back("memory.memsw.limit_in_bytes", Num(swap));
  if (m.reservation.value_or(0) != 0) {
    p.emplace_back("memory.soft_limit_in_bytes", Num(*m.reservation));
  }
  if (m.kernel.value_or(0) != 0) p.emplace_back("memory.kmem.limit_in_bytes", Num(*m.kernel));
  if (m.kernel_tcp.value_or(0) != 0) {
    p.emplace_back("memory.kmem.tcp.limit_in_bytes", Num(*m.kernel_tcp));
  }
  if (m.swappiness) {
    if (*m.swappiness > 100) {
      return absl::InvalidArgumentError(absl::StrCat(
          "linux.resources.memory.swappiness: ", *m.swappiness, " is not in [0, 100]"));
    }
    p.emplace_back("memory.swappiness", Num(*m.swappiness));
  }
  if (m.disable_oom_killer.value_or(false)) p.emplace_back("memory.oom_control", "1");
  if (m.use_hierarchy) p.emplace_back("memory.use_hierarchy", *m.use_hierarchy ? "1" : "0");
  return absl::OkStatus();
}

void PlanBlockIO(const BlockIO& b, Plan& p) {
  if (b.weight.value_or(0) != 0) p.emplace_back("blkio.weight", Num(*b.weight));
  if (b.leaf_weight.value_or(0) != 0) p.emplace_back("blkio.leaf_weight", Num(*b.leaf_weight));
  for (const auto& w : b.weight_device) {
    if (w.weight) p.emplace_back("blkio.weight_device", Dev(w.major, w.minor) + " " + Num(*w.weight));
    if (w.leaf_weight) {
      p.emplace_back("blkio.leaf_weight_device", Dev(w.major, w.minor) + " " + Num(*w.leaf_weight));
    }
  }
  auto throttle = [&p](const char* file, const std::vector<ThrottleDevice>& v) {
    for (const auto& t : v) p.emplace_back(file, Dev(t.major, t.minor) + " " + absl::StrCat(t.rate));
  };
  throttle("blkio.throttle.read_bps_device", b.throttle_read_bps_device);
  throttle("blkio.throttle.write_bps_device", b.throttle_write_bps_device);
  throttle("blkio.throttle.read_iops_device", b.throttle_read_iops_device);
  throttle("blkio.throttle.write_iops_device", b.throttle_write_iops_device);
}

}  // namespace

std::string RdmaMaxLine(const std::string& device, const Rdma& d) {
  auto v = [](const std::optional<uint32_t>& x) { return x ? absl::StrCat(*x) : "max"; };
  return absl::StrCat(device, " hca_handle=", v(d.hca_handles), " hca_object=", v(d.hca_objects));
}

std::string ControllerOfFile(const std::string& file) { return file.substr(0, file.find('.')); }

std::string DeviceRuleString(const DeviceRule& d) {
  auto num = [](const std::optional<int64_t>& v) {
    return (!v || *v < 0) ? std::string("*") : absl::StrCat(*v);
  };
  return absl::StrCat(d.type.value_or("a"), " ", num(d.major), ":", num(d.minor), " ",
                      d.access.value_or("rwm"));
}

absl::StatusOr<Plan> PlanV1Writes(const Resources& r) {
  if (!r.unified.empty()) {
    return absl::InvalidArgumentError(
        "linux.resources.unified: cannot be set on a cgroup v1 host");
  }
  Plan p;
  if (r.cpu) PlanCpu(*r.cpu, p);
  if (r.memory) RETURN_IF_ERROR(PlanMemory(*r.memory, p));
  if (r.pids) {
    p.emplace_back("pids.max", r.pids->limit.value_or(0) > 0 ? Num(*r.pids->limit) : "max");
  }
  if (r.block_io) PlanBlockIO(*r.block_io, p);
  for (const auto& h : r.hugepage_limits) {
    p.emplace_back(absl::StrCat("hugetlb.", h.page_size, ".limit_in_bytes"), absl::StrCat(h.limit));
  }
  if (r.network && r.network->class_id) {
    p.emplace_back("net_cls.classid", absl::StrCat(*r.network->class_id));
  }
  if (r.network) {
    for (const auto& ifp : r.network->priorities) {
      p.emplace_back("net_prio.ifpriomap", absl::StrCat(ifp.name, " ", ifp.priority));
    }
  }
  for (const auto& [dev, d] : r.rdma) {
    p.emplace_back("rdma.max", RdmaMaxLine(dev, d));
  }
  if (!r.devices.empty()) {
    // Deny everything first, then replay the rules in order (runc's pre-1.0 way):
    // the kernel's v1 device list is order-sensitive only through this reset.
    p.emplace_back("devices.deny", "a *:* rwm");
    for (const auto& d : r.devices) {
      p.emplace_back(d.allow ? "devices.allow" : "devices.deny", DeviceRuleString(d));
    }
  }
  return p;
}

uint64_t CpuSharesToWeight(uint64_t shares) {
  if (shares == 0) return 0;
  if (shares <= 2) return 1;
  if (shares >= 262144) return 10000;
  double l = std::log2(static_cast<double>(shares));
  double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
  return static_cast<uint64_t>(std::ceil(std::pow(10, exponent)));
}

uint64_t BlkioWeightToIoWeight(uint64_t weight) {
  if (weight == 0) return 0;
  return 1 + (weight - 10) * 9999 / 990;
}

}  // namespace cricket::oci::cgroup
