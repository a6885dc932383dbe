// Pod cgroup parent → stats, with the containers' sum as the fallback.
#include "pod/stats_pod_cgroup.h"

#include "absl/strings/match.h"
#include "oci/cgroup/manager.h"
#include "oci/cgroup/systemd.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"

namespace cricket::pod {

std::optional<std::string> PodCgroupPath(const std::string& cgroup_parent) {
  if (cgroup_parent.empty()) return std::nullopt;
  if (absl::EndsWith(cgroup_parent, ".slice") && cgroup_parent.find('/') == std::string::npos) {
    absl::StatusOr<std::string> p = oci::cgroup::ExpandSlice(cgroup_parent);
    if (!p.ok()) return std::nullopt;
    return *p;
  }
  if (cgroup_parent[0] != '/' || cgroup_parent == "/") return std::nullopt;
  return cgroup_parent;
}

absl::StatusOr<std::optional<oci::cgroup::Stats>> ReadPodCgroupStats(const std::string& root,
                                                                     const std::string& path) {
  bool exists = false;
  // v2 puts it at root/path; v1 in each hierarchy (memory and cpuacct are the ones we read).
  for (const char* h : {"", "/memory", "/cpuacct", "/cpu,cpuacct"}) {
    exists = exists || sys::PathExists(root + h + path);
  }
  if (!exists) return std::optional<oci::cgroup::Stats>();
  oci::cgroup::ManagerOptions o;
  o.cgroups_path = path;
  o.container_id = "pod";
  o.root = root;
  ASSIGN_OR_RETURN(std::unique_ptr<oci::cgroup::Manager> m, oci::cgroup::NewManager(o));
  ASSIGN_OR_RETURN(oci::cgroup::Stats s, m->GetStats());
  return std::optional<oci::cgroup::Stats>(std::move(s));
}

oci::cgroup::Stats SumStats(const std::vector<oci::cgroup::Stats>& parts) {
  oci::cgroup::Stats sum;
  for (const auto& p : parts) {
    sum.cpu.usage.total += p.cpu.usage.total;
    sum.cpu.usage.user += p.cpu.usage.user;
    sum.cpu.usage.kernel += p.cpu.usage.kernel;
    sum.memory.usage.usage += p.memory.usage.usage;
    sum.memory.cache += p.memory.cache;
    for (const auto& [k, v] : p.memory.raw) sum.memory.raw[k] += v;
    sum.pids.current += p.pids.current;
    sum.oom_kill += p.oom_kill;
  }
  return sum;  // no limit: a sum of containers has none to report
}

}  // namespace cricket::pod
