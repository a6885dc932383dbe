// Pod sandbox metrics (descriptors and values) for the kubelet's /metrics/cadvisor.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::ListMetricDescriptors(const v1::ListMetricDescriptorsRequest& req,
                                                    v1::ListMetricDescriptorsResponse* resp) {
  return NotImplemented("ListMetricDescriptors");
}

absl::Status RuntimeHandlers::ListPodSandboxMetrics(const v1::ListPodSandboxMetricsRequest& req,
                                                    v1::ListPodSandboxMetricsResponse* resp) {
  return NotImplemented("ListPodSandboxMetrics");
}

absl::Status RuntimeHandlers::StreamPodSandboxMetrics(
    const v1::StreamPodSandboxMetricsRequest& req,
    const Sink<v1::StreamPodSandboxMetricsResponse>& send) {
  return NotImplemented("StreamPodSandboxMetrics");
}

}  // namespace cricket::cri
