// Sampling containers and pods: cgroup stats, CPU rate, writable layer,
// pod network.
#include "pod/stats_service.h"

#include "absl/strings/str_cat.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "pod/monitor/protocol/exit_file.h"
#include "pod/stats_pod_cgroup.h"

namespace cricket::pod {
namespace {

constexpr int64_t kPruneEveryNs = 60'000'000'000;
constexpr int64_t kForgetAfterNs = 600'000'000'000;  // a key unseen this long is gone

std::string Parent(const std::string& p) {
  size_t slash = p.rfind('/');
  return slash == std::string::npos || slash == 0 ? std::string() : p.substr(0, slash);
}

}  // namespace

std::string UpperDirOf(const Container& c) {
  std::string dir = Parent(c.rootfs);
  return dir.empty() ? dir : dir + "/upper";
}

std::string LayerMountpointOf(const Container& c) { return Parent(Parent(c.rootfs)); }

void StatsService::PruneSometimes(int64_t now_ns) {
  {
    absl::MutexLock l(&prune_mu_);
    if (now_ns - last_prune_ns_ < kPruneEveryNs) return;
    last_prune_ns_ = now_ns;
  }
  cpu_.Prune(now_ns - kForgetAfterNs);
  fs_.Prune(now_ns - kForgetAfterNs);
}

absl::StatusOr<ContainerSample> StatsService::SampleContainer(const Container& c) {
  if (c.state() != ContainerState::kRunning) {
    return absl::FailedPreconditionError("container " + c.id + " is not running: no stats");
  }
  ContainerSample s;
  s.container = c;
  ASSIGN_OR_RETURN(s.cgroup, containers_->Stats(ContainerId(c.id)));
  s.timestamp_ns = RealtimeNs();
  s.nano_cores = cpu_.Update("c/" + c.id, s.cgroup.cpu.usage.total, s.timestamp_ns);
  std::string upper = UpperDirOf(c);
  if (!upper.empty()) {
    s.writable_layer = fs_.Get(c.id, upper, LayerMountpointOf(c), s.timestamp_ns);
  }
  PruneSometimes(s.timestamp_ns);
  return s;
}

absl::StatusOr<ContainerSample> StatsService::SampleContainer(const ContainerId& id) {
  ASSIGN_OR_RETURN(Container c, containers_->Get(id));
  return SampleContainer(c);
}

std::vector<ContainerSample> StatsService::SampleContainers(const ContainerFilter& filter) {
  ContainerFilter f = filter;
  f.state = ContainerState::kRunning;
  std::vector<ContainerSample> out;
  for (const Container& c : containers_->List(f)) {
    absl::StatusOr<ContainerSample> s = SampleContainer(c);
    if (s.ok()) out.push_back(std::move(*s));  // one that just exited is skipped
  }
  return out;
}

PodSample StatsService::SamplePod(const Sandbox& sb) {
  PodSample p;
  p.sandbox = sb;
  ContainerFilter f;
  f.pod_id_prefix = sb.id;
  p.containers = SampleContainers(f);
  p.timestamp_ns = RealtimeNs();
  if (std::optional<std::string> path = PodCgroupPath(sb.config.linux().cgroup_parent())) {
    auto read = ReadPodCgroupStats(cgroup_root_, *path);
    if (read.ok() && read->has_value()) {
      p.cgroup = std::move(**read);
      p.from_pod_cgroup = true;
    } else if (!read.ok()) {
      sys::LogDebug("pod cgroup stats", {{"id", sb.id}, {"error", read.status().ToString()}});
    }
  }
  if (!p.from_pod_cgroup) {
    std::vector<oci::cgroup::Stats> parts;
    for (const auto& c : p.containers) parts.push_back(c.cgroup);
    p.cgroup = SumStats(parts);
  }
  p.nano_cores = cpu_.Update("p/" + sb.id, p.cgroup.cpu.usage.total, p.timestamp_ns);
  if (!sb.host_network() && !sb.netns_path.empty() && sb.state() == SandboxState::kReady) {
    auto net = ReadNetDevInNetns(sb.netns_path);
    if (net.ok()) {
      p.has_network = true;
      p.interfaces = std::move(*net);
    } else {
      sys::LogDebug("pod network stats", {{"id", sb.id}, {"error", net.status().ToString()}});
    }
  }
  return p;
}

absl::StatusOr<PodSample> StatsService::SamplePod(const PodId& id) {
  ASSIGN_OR_RETURN(Sandbox sb, sandboxes_->Get(id));
  return SamplePod(sb);
}

std::vector<PodSample> StatsService::SamplePods(const SandboxFilter& filter) {
  std::vector<PodSample> out;
  for (const Sandbox& sb : sandboxes_->List(filter)) out.push_back(SamplePod(sb));
  return out;
}

}  // namespace cricket::pod
