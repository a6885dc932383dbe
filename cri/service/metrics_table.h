// The cAdvisor-style metrics cricket reports through ListPodSandboxMetrics
// (the kubelet's PodAndContainerStatsFromCRI path): one table of descriptors
// with how each value is taken from a sampled container or pod. Label keys
// are CRI-O's: id, name, image (+ interface for network, device for fs).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cri/api/api.h"
#include "pod/stats_service.h"

namespace cricket::cri {

enum class MetricLabels { kBase, kInterface, kDevice };

struct ContainerMetricDef {
  const char* name;
  const char* help;
  runtime::v1::MetricType type;
  MetricLabels labels;
  std::function<uint64_t(const pod::ContainerSample&)> value;
};

// The container metrics, in descriptor order.
const std::vector<ContainerMetricDef>& ContainerMetricDefs();

// The pod-level network metrics (labels id, name, image, interface).
struct NetworkMetricDef {
  const char* name;
  const char* help;
  std::function<uint64_t(const pod::InterfaceStats&)> value;
};
const std::vector<NetworkMetricDef>& NetworkMetricDefs();

std::vector<std::string> LabelKeys(MetricLabels l);

// Every descriptor: container metrics then network metrics.
std::vector<runtime::v1::MetricDescriptor> AllMetricDescriptors();

// One PodSandboxMetrics for a sampled pod: network metrics on the pod (name
// "POD", as cAdvisor labels the sandbox), the rest per running container.
void FillPodSandboxMetrics(const pod::PodSample& p, runtime::v1::PodSandboxMetrics* out);

}  // namespace cricket::cri
