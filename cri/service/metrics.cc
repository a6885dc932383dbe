// Pod sandbox metrics (descriptors and values) for the kubelet's /metrics/cadvisor
// when it takes pod and container stats from the CRI; the table is in
// metrics_table.cc.
#include "cri/service/metrics_table.h"
#include "cri/service/runtime_handlers.h"
#include "cri/service/stream_chunks.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::ListMetricDescriptors(const v1::ListMetricDescriptorsRequest& req,
                                                    v1::ListMetricDescriptorsResponse* resp) {
  for (auto& d : AllMetricDescriptors()) *resp->add_descriptors() = std::move(d);
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::ListPodSandboxMetrics(const v1::ListPodSandboxMetricsRequest& req,
                                                    v1::ListPodSandboxMetricsResponse* resp) {
  pod::SandboxFilter f;
  f.state = pod::SandboxState::kReady;
  for (const pod::PodSample& p : ctx().stats->SamplePods(f)) {
    FillPodSandboxMetrics(p, resp->add_pod_metrics());
  }
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::StreamPodSandboxMetrics(
    const v1::StreamPodSandboxMetricsRequest& req,
    const Sink<v1::StreamPodSandboxMetricsResponse>& send) {
  pod::SandboxFilter f;
  f.state = pod::SandboxState::kReady;
  return SendInChunks(
      ctx().stats->SamplePods(f),
      [](v1::StreamPodSandboxMetricsResponse& r, const pod::PodSample& p) {
        FillPodSandboxMetrics(p, r.add_pod_sandbox_metrics());
      },
      send);
}

}  // namespace cricket::cri
