// The cgroup path (cgroupfs or systemd form) and limits from
// LinuxContainerResources plus the node's pids limit.
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "pod/spec/builders.h"

namespace cricket::pod::spec {

absl::Status ApplyResources(const Inputs& in, Output& out) {
  const auto& r = in.config->linux().resources();
  const std::string& parent = in.sandbox.cgroup_parent;
  if (in.defaults.systemd_cgroup) {
    std::string slice = parent.empty() ? "system.slice" : parent;
    if (!absl::EndsWith(slice, ".slice")) {
      return absl::InvalidArgumentError(absl::StrCat("cgroup parent \"", slice,
                                                     "\" is not a systemd slice (driver systemd)"));
    }
    out.spec["linux"]["cgroupsPath"] = absl::StrCat(slice, ":cricket:", in.container_id);
  } else {
    out.spec["linux"]["cgroupsPath"] =
        absl::StrCat(parent.empty() ? "/cricket" : parent, "/", in.container_id);
  }
  nlohmann::json& res = out.spec["linux"]["resources"];
  nlohmann::json cpu = nlohmann::json::object();
  if (r.cpu_shares()) cpu["shares"] = r.cpu_shares();
  if (r.cpu_quota()) cpu["quota"] = r.cpu_quota();
  if (r.cpu_period()) cpu["period"] = r.cpu_period();
  if (!r.cpuset_cpus().empty()) cpu["cpus"] = r.cpuset_cpus();
  if (!r.cpuset_mems().empty()) cpu["mems"] = r.cpuset_mems();
  if (!cpu.empty()) res["cpu"] = cpu;
  nlohmann::json mem = nlohmann::json::object();
  if (r.memory_limit_in_bytes()) mem["limit"] = r.memory_limit_in_bytes();
  if (r.memory_swap_limit_in_bytes()) {
    if (r.memory_limit_in_bytes() && r.memory_swap_limit_in_bytes() < r.memory_limit_in_bytes()) {
      return absl::InvalidArgumentError("memory_swap_limit_in_bytes is below memory_limit_in_bytes");
    }
    mem["swap"] = r.memory_swap_limit_in_bytes();  // memory+swap, as the OCI field means
  }
  if (!mem.empty()) res["memory"] = mem;
  if (in.defaults.pids_limit > 0) res["pids"] = {{"limit", in.defaults.pids_limit}};
  nlohmann::json huge = nlohmann::json::array();
  for (const auto& h : r.hugepage_limits()) {
    huge.push_back({{"pageSize", h.page_size()}, {"limit", h.limit()}});
  }
  if (!huge.empty()) res["hugepageLimits"] = huge;
  if (!r.unified().empty()) {
    res["unified"] = std::map<std::string, std::string>(r.unified().begin(), r.unified().end());
  }
  return absl::OkStatus();
}

}  // namespace cricket::pod::spec
