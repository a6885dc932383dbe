// Stats of containers and pods as ContainerStats / PodSandboxStats and the
// metrics RPCs need them: cgroup counters plus the derived values that need
// memory between calls (CPU rate, cached writable-layer usage) and the pod's
// network counters. Thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/cgroup/stats.h"
#include "pod/container.h"
#include "pod/container_manager.h"
#include "pod/sandbox.h"
#include "pod/sandbox_manager.h"
#include "pod/stats_cpu_rate.h"
#include "pod/stats_fs_usage.h"
#include "pod/stats_netdev.h"

namespace cricket::pod {

struct ContainerSample {
  Container container;
  int64_t timestamp_ns = 0;
  oci::cgroup::Stats cgroup;
  std::optional<uint64_t> nano_cores;  // unset on the first sample
  std::optional<FsUsageSample> writable_layer;
};

struct PodSample {
  Sandbox sandbox;
  int64_t timestamp_ns = 0;
  oci::cgroup::Stats cgroup;  // the pod's cgroup parent, else the containers' sum
  bool from_pod_cgroup = false;
  std::optional<uint64_t> nano_cores;
  bool has_network = false;  // false for host-network pods and unreadable netns
  std::vector<InterfaceStats> interfaces;
  std::vector<ContainerSample> containers;  // running ones
};

class StatsService {
 public:
  StatsService(SandboxManager* sandboxes, ContainerManager* containers,
               std::string cgroup_root = "/sys/fs/cgroup")
      : sandboxes_(sandboxes), containers_(containers), cgroup_root_(std::move(cgroup_root)) {}

  // FailedPrecondition unless Running; the engine's error otherwise.
  absl::StatusOr<ContainerSample> SampleContainer(const Container& c);
  absl::StatusOr<ContainerSample> SampleContainer(const ContainerId& id);
  // Running containers matching the filter (ones that exit meanwhile are left out).
  std::vector<ContainerSample> SampleContainers(const ContainerFilter& filter);
  absl::StatusOr<PodSample> SamplePod(const PodId& id);
  std::vector<PodSample> SamplePods(const SandboxFilter& filter);

 private:
  PodSample SamplePod(const Sandbox& sb);
  void PruneSometimes(int64_t now_ns);

  SandboxManager* sandboxes_;
  ContainerManager* containers_;
  std::string cgroup_root_;
  CpuRateTracker cpu_;
  FsUsageCache fs_;
  absl::Mutex prune_mu_;
  int64_t last_prune_ns_ = 0;
};

// The writable (upper) dir of a container whose rootfs is <dir>/<id>/rootfs,
// and the containers dir that identifies its filesystem. "" when no rootfs.
std::string UpperDirOf(const Container& c);
std::string LayerMountpointOf(const Container& c);

}  // namespace cricket::pod
