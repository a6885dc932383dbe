// PlanV2Writes: Resources → v2 unified-hierarchy writes, following runc's fs2
// driver (conversions from v1-style OCI values included).
#include "absl/strings/str_cat.h"
#include "oci/cgroup/plan.h"
#include "oci/sys/status.h"

namespace cricket::oci::cgroup {
namespace {

std::string MaxOr(int64_t v) { return v < 0 ? std::string("max") : absl::StrCat(v); }

absl::Status PlanCpu(const Cpu& c, Plan& p) {
  if (c.realtime_period.value_or(0) != 0 || c.realtime_runtime.value_or(0) != 0) {
    return absl::InvalidArgumentError(
        "linux.resources.cpu.realtimePeriod/realtimeRuntime: not supported on cgroup v2");
  }
  if (c.shares.value_or(0) != 0) {
    p.emplace_back("cpu.weight", absl::StrCat(CpuSharesToWeight(*c.shares)));
  }
  if (c.quota.value_or(0) != 0 || c.period.value_or(0) != 0) {
    std::string q = c.quota.value_or(0) > 0 ? absl::StrCat(*c.quota) : "max";
    uint64_t period = c.period.value_or(0) != 0 ? *c.period : 100000;  // the kernel default
    p.emplace_back("cpu.max", absl::StrCat(q, " ", period));
  }
  if (c.burst) p.emplace_back("cpu.max.burst", absl::StrCat(*c.burst));
  if (c.idle) p.emplace_back("cpu.idle", absl::StrCat(*c.idle));
  if (c.cpus && !c.cpus->empty()) p.emplace_back("cpuset.cpus", *c.cpus);
  if (c.mems && !c.mems->empty()) p.emplace_back("cpuset.mems", *c.mems);
  return absl::OkStatus();
}

absl::Status PlanMemory(const Memory& m, Plan& p) {
  int64_t limit = m.limit.value_or(0);
  absl::StatusOr<int64_t> swap = SwapToV2(m.swap.value_or(0), limit);
  if (!swap.ok()) return sys::Annotate(swap.status(), "linux.resources.memory.swap");
  // swap.max first, as runc: lowering memory.max never depends on it, and a
  // failure leaves the (more important) memory limit untouched.
  if (*swap != 0) p.emplace_back("memory.swap.max", MaxOr(*swap));
  if (limit != 0) p.emplace_back("memory.max", MaxOr(limit));
  if (m.reservation.value_or(0) != 0) p.emplace_back("memory.low", MaxOr(*m.reservation));
  // kernel, kernelTCP, swappiness, disableOOMKiller and useHierarchy have no v2
  // file; runc ignores them there too.
  return absl::OkStatus();
}

void PlanIo(const BlockIO& b, Plan& p) {
  if (b.weight.value_or(0) != 0) {
    p.emplace_back("io.weight", absl::StrCat("default ", BlkioWeightToIoWeight(*b.weight)));
  }
  for (const auto& w : b.weight_device) {
    if (w.weight) {
      p.emplace_back("io.weight", absl::StrCat(w.major, ":", w.minor, " ",
                                               BlkioWeightToIoWeight(*w.weight)));
    }
  }
  auto max = [&p](const char* key, const std::vector<ThrottleDevice>& v) {
    for (const auto& t : v) {
      p.emplace_back("io.max", absl::StrCat(t.major, ":", t.minor, " ", key, "=", t.rate));
    }
  };
  max("rbps", b.throttle_read_bps_device);
  max("wbps", b.throttle_write_bps_device);
  max("riops", b.throttle_read_iops_device);
  max("wiops", b.throttle_write_iops_device);
}

}  // namespace

absl::StatusOr<int64_t> SwapToV2(int64_t swap, int64_t limit) {
  if (limit == -1 && swap == 0) return -1;
  if (swap == -1 || swap == 0) return swap;
  if (limit == 0 || limit == -1) {
    return absl::InvalidArgumentError("unable to set swap limit without memory limit");
  }
  if (limit < 0) return absl::InvalidArgumentError(absl::StrCat("invalid memory limit ", limit));
  if (swap < limit) {
    return absl::InvalidArgumentError(absl::StrCat("memory+swap limit ", swap,
                                                   " is below the memory limit ", limit));
  }
  return swap - limit;
}

absl::StatusOr<Plan> PlanV2Writes(const Resources& r) {
  Plan p;
  if (r.cpu) RETURN_IF_ERROR(PlanCpu(*r.cpu, p));
  if (r.memory) RETURN_IF_ERROR(PlanMemory(*r.memory, p));
  if (r.pids) {
    p.emplace_back("pids.max", r.pids->limit.value_or(0) > 0 ? absl::StrCat(*r.pids->limit) : "max");
  }
  if (r.block_io) PlanIo(*r.block_io, p);
  for (const auto& h : r.hugepage_limits) {
    p.emplace_back(absl::StrCat("hugetlb.", h.page_size, ".max"), absl::StrCat(h.limit));
  }
  for (const auto& [dev, d] : r.rdma) {
    p.emplace_back("rdma.max", RdmaMaxLine(dev, d));
  }
  // Unified keys last: they are the user's explicit override of any conversion.
  for (const auto& [file, value] : r.unified) {
    if (file.find('/') != std::string::npos || file.empty() || file[0] == '.') {
      return absl::InvalidArgumentError(
          absl::StrCat("linux.resources.unified: invalid key \"", file, "\""));
    }
    p.emplace_back(file, value);
  }
  return p;
}

}  // namespace cricket::oci::cgroup
