// The cgroup path (cgroupfs or systemd form) and limits from
// LinuxContainerResources plus the node's pids limit.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "oci/sys/status.h"
#include "pod/spec/builders.h"

namespace cricket::pod::spec {
namespace {

using oci::cgroup::Cpu;
using oci::cgroup::Memory;

absl::StatusOr<std::string> CgroupsPath(const Inputs& in) {
  const std::string& parent = in.sandbox.cgroup_parent;
  if (!in.defaults.systemd_cgroup) {
    return absl::StrCat(parent.empty() ? "/cricket" : parent, "/", in.container_id);
  }
  std::string slice = parent.empty() ? "system.slice" : parent;
  if (!absl::EndsWith(slice, ".slice")) {
    return absl::InvalidArgumentError(
        absl::StrCat("cgroup parent \"", slice, "\" is not a systemd slice (driver systemd)"));
  }
  return absl::StrCat(slice, ":cricket:", in.container_id);
}

// A CRI field the OCI spec holds unsigned; 0 means unset in the CRI.
absl::Status SetUnsigned(const char* field, int64_t v, std::optional<uint64_t>& out) {
  if (v < 0) return absl::InvalidArgumentError(absl::StrCat(field, " ", v, " is negative"));
  if (v != 0) out = static_cast<uint64_t>(v);
  return absl::OkStatus();
}

absl::StatusOr<std::optional<Cpu>> CpuLimits(const runtime::v1::LinuxContainerResources& r) {
  Cpu cpu;
  RETURN_IF_ERROR(SetUnsigned("cpu_shares", r.cpu_shares(), cpu.shares));
  if (r.cpu_quota()) cpu.quota = r.cpu_quota();
  RETURN_IF_ERROR(SetUnsigned("cpu_period", r.cpu_period(), cpu.period));
  if (!r.cpuset_cpus().empty()) cpu.cpus = r.cpuset_cpus();
  if (!r.cpuset_mems().empty()) cpu.mems = r.cpuset_mems();
  if (cpu == Cpu{}) return std::nullopt;
  return cpu;
}

absl::StatusOr<std::optional<Memory>> MemoryLimits(
    const runtime::v1::LinuxContainerResources& r) {
  Memory mem;
  if (r.memory_limit_in_bytes()) mem.limit = r.memory_limit_in_bytes();
  if (r.memory_swap_limit_in_bytes()) {
    if (r.memory_limit_in_bytes() && r.memory_swap_limit_in_bytes() < r.memory_limit_in_bytes()) {
      return absl::InvalidArgumentError("memory_swap_limit_in_bytes is below memory_limit_in_bytes");
    }
    mem.swap = r.memory_swap_limit_in_bytes();  // memory+swap, as the OCI field means
  }
  if (mem == Memory{}) return std::nullopt;
  return mem;
}

}  // namespace

absl::Status ApplyResources(const Inputs& in, Output& out) {
  const auto& r = in.config->linux().resources();
  ASSIGN_OR_RETURN(LinuxOf(out).cgroups_path, CgroupsPath(in));
  oci::cgroup::Resources& res = ResourcesOf(out);
  ASSIGN_OR_RETURN(std::optional<Cpu> cpu, CpuLimits(r));
  if (cpu) res.cpu = std::move(cpu);
  ASSIGN_OR_RETURN(std::optional<Memory> mem, MemoryLimits(r));
  if (mem) res.memory = std::move(mem);
  if (in.defaults.pids_limit > 0) res.pids = oci::cgroup::Pids{.limit = in.defaults.pids_limit};
  for (const auto& h : r.hugepage_limits()) {
    res.hugepage_limits.push_back({.page_size = h.page_size(), .limit = h.limit()});
  }
  res.unified.insert(r.unified().begin(), r.unified().end());
  return absl::OkStatus();
}

}  // namespace cricket::pod::spec
