// Sampled container and pod stats → the CRI ContainerStats / PodSandboxStats
// messages.
#pragma once

#include "cri/api/api.h"
#include "pod/stats_service.h"

namespace cricket::cri {

void FillCpu(const oci::cgroup::Stats& s, std::optional<uint64_t> nano_cores, int64_t now_ns,
             runtime::v1::CpuUsage* out);
void FillMemory(const oci::cgroup::Stats& s, int64_t now_ns, runtime::v1::MemoryUsage* out);
void FillContainerStats(const pod::ContainerSample& s, runtime::v1::ContainerStats* out);
void FillPodSandboxStats(const pod::PodSample& p, runtime::v1::PodSandboxStats* out);

}  // namespace cricket::cri
