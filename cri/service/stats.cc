// Container and pod sandbox stats, single, listed and streamed, sampled by
// pod::StatsService (cgroups, CPU rate, writable layer, pod network).
#include "cri/service/container_stats_convert.h"
#include "cri/service/runtime_handlers.h"
#include "cri/service/stream_chunks.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

pod::ContainerFilter FromCri(const v1::ContainerStatsFilter& f) {
  pod::ContainerFilter out;
  out.id_prefix = f.id();
  out.pod_id_prefix = f.pod_sandbox_id();
  out.labels = {f.label_selector().begin(), f.label_selector().end()};
  return out;
}

pod::SandboxFilter FromCri(const v1::PodSandboxStatsFilter& f) {
  pod::SandboxFilter out;
  out.id_prefix = f.id();
  out.labels = {f.label_selector().begin(), f.label_selector().end()};
  return out;
}

}  // namespace

absl::Status RuntimeHandlers::ContainerStats(const v1::ContainerStatsRequest& req,
                                             v1::ContainerStatsResponse* resp) {
  ASSIGN_OR_RETURN(pod::ContainerId id, ctx().containers->Resolve(req.container_id()));
  ASSIGN_OR_RETURN(pod::ContainerSample s, ctx().stats->SampleContainer(id));
  FillContainerStats(s, resp->mutable_stats());
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::ListContainerStats(const v1::ListContainerStatsRequest& req,
                                                 v1::ListContainerStatsResponse* resp) {
  for (const auto& s : ctx().stats->SampleContainers(FromCri(req.filter()))) {
    FillContainerStats(s, resp->add_stats());
  }
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::StreamContainerStats(
    const v1::StreamContainerStatsRequest& req,
    const Sink<v1::StreamContainerStatsResponse>& send) {
  return SendInChunks(
      ctx().stats->SampleContainers(FromCri(req.filter())),
      [](v1::StreamContainerStatsResponse& r, const pod::ContainerSample& s) {
        FillContainerStats(s, r.add_container_stats());
      },
      send);
}

absl::Status RuntimeHandlers::PodSandboxStats(const v1::PodSandboxStatsRequest& req,
                                              v1::PodSandboxStatsResponse* resp) {
  ASSIGN_OR_RETURN(pod::PodId id, ctx().sandboxes->Resolve(req.pod_sandbox_id()));
  ASSIGN_OR_RETURN(pod::PodSample p, ctx().stats->SamplePod(id));
  FillPodSandboxStats(p, resp->mutable_stats());
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::ListPodSandboxStats(const v1::ListPodSandboxStatsRequest& req,
                                                  v1::ListPodSandboxStatsResponse* resp) {
  for (const auto& p : ctx().stats->SamplePods(FromCri(req.filter()))) {
    FillPodSandboxStats(p, resp->add_stats());
  }
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::StreamPodSandboxStats(
    const v1::StreamPodSandboxStatsRequest& req,
    const Sink<v1::StreamPodSandboxStatsResponse>& send) {
  return SendInChunks(
      ctx().stats->SamplePods(FromCri(req.filter())),
      [](v1::StreamPodSandboxStatsResponse& r, const pod::PodSample& p) {
        FillPodSandboxStats(p, r.add_pod_sandbox_stats());
      },
      send);
}

}  // namespace cricket::cri
