// Container and pod sandbox stats, single, listed and streamed.
// Container stats come from the container's cgroup; pod sandbox stats are
// not implemented yet.
#include "cri/container_stats_convert.h"
#include "cri/runtime_handlers.h"
#include "oci/sys/status.h"
#include "pod/exit_file.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::ContainerStats(const v1::ContainerStatsRequest& req,
                                             v1::ContainerStatsResponse* resp) {
  if (!ctx().containers) return NotImplemented("ContainerStats");
  ASSIGN_OR_RETURN(pod::Container c, ctx().containers->Get(req.container_id()));
  if (c.state != pod::ContainerState::kRunning) {
    return absl::FailedPreconditionError("container " + c.id + " is not running: no stats");
  }
  ASSIGN_OR_RETURN(oci::cgroup::Stats s, ctx().containers->Stats(c.id));
  FillContainerStats(c, s, pod::RealtimeNs(), resp->mutable_stats());
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::ListContainerStats(const v1::ListContainerStatsRequest& req,
                                                 v1::ListContainerStatsResponse* resp) {
  if (!ctx().containers) return NotImplemented("ListContainerStats");
  pod::ContainerFilter f;
  f.id_prefix = req.filter().id();
  f.pod_id_prefix = req.filter().pod_sandbox_id();
  f.state = pod::ContainerState::kRunning;
  f.labels = {req.filter().label_selector().begin(), req.filter().label_selector().end()};
  int64_t now = pod::RealtimeNs();
  for (const auto& c : ctx().containers->List(f)) {
    auto s = ctx().containers->Stats(c.id);
    if (s.ok()) FillContainerStats(c, *s, now, resp->add_stats());  // one that just exited is skipped
  }
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::StreamContainerStats(
    const v1::StreamContainerStatsRequest& req,
    const Sink<v1::StreamContainerStatsResponse>& send) {
  return NotImplemented("StreamContainerStats");
}

absl::Status RuntimeHandlers::PodSandboxStats(const v1::PodSandboxStatsRequest& req,
                                              v1::PodSandboxStatsResponse* resp) {
  return NotImplemented("PodSandboxStats");
}

absl::Status RuntimeHandlers::ListPodSandboxStats(const v1::ListPodSandboxStatsRequest& req,
                                                  v1::ListPodSandboxStatsResponse* resp) {
  return NotImplemented("ListPodSandboxStats");
}

absl::Status RuntimeHandlers::StreamPodSandboxStats(
    const v1::StreamPodSandboxStatsRequest& req,
    const Sink<v1::StreamPodSandboxStatsResponse>& send) {
  return NotImplemented("StreamPodSandboxStats");
}

}  // namespace cricket::cri
