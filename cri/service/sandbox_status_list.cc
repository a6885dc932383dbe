// PodSandboxStatus, ListPodSandbox and its streaming variant.
#include <nlohmann/json.hpp>

#include "cri/service/container_convert.h"
#include "cri/service/runtime_handlers.h"
#include "cri/service/sandbox_convert.h"
#include "cri/service/stream_chunks.h"
#include "oci/sys/status.h"
#include "pod/monitor/protocol/exit_file.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::PodSandboxStatus(const v1::PodSandboxStatusRequest& req,
                                               v1::PodSandboxStatusResponse* resp) {
  ASSIGN_OR_RETURN(pod::PodId id, ctx().sandboxes->Resolve(req.pod_sandbox_id()));
  ASSIGN_OR_RETURN(pod::Sandbox sb, ctx().sandboxes->Get(id));
  FillSandboxStatus(sb, resp->mutable_status());
  // The pod's containers at the same moment (the kubelet's Evented PLEG reads
  // them from here instead of asking for each container), as containerd does.
  pod::ContainerFilter mine;
  mine.pod_id_prefix = sb.id;
  for (const pod::Container& c : ctx().containers->List(mine)) {
    if (c.pod_id == sb.id) FillContainerStatus(c, resp->add_containers_statuses());
  }
  resp->set_timestamp(pod::RealtimeNs());
  if (req.verbose()) {
    nlohmann::json info = {{"netns_path", sb.netns_path}, {"ipc_ns_path", sb.ipc_ns_path},
                           {"uts_ns_path", sb.uts_ns_path}, {"shm_path", sb.shm_path},
                           {"network", sb.network_name}, {"resolv_path", sb.resolv_path},
                           {"hosts_path", sb.hosts_path}};
    if (!sb.not_ready_reason.empty()) info["not_ready_reason"] = sb.not_ready_reason;
    // The infra process of a shared pid namespace (containerd's "pid" is its pause's).
    if (sb.infra_pid > 0) info["pid"] = sb.infra_pid;
    (*resp->mutable_info())["info"] = info.dump();
  }
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::ListPodSandbox(const v1::ListPodSandboxRequest& req,
                                             v1::ListPodSandboxResponse* resp) {
  for (const pod::Sandbox& sb : ctx().sandboxes->List(FromCri(req.filter()))) {
    FillSandbox(sb, resp->add_items());
  }
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::StreamPodSandboxes(const v1::StreamPodSandboxesRequest& req,
                                                 const Sink<v1::StreamPodSandboxesResponse>& send) {
  return SendInChunks(
      ctx().sandboxes->List(FromCri(req.filter())),
      [](v1::StreamPodSandboxesResponse& r, const pod::Sandbox& sb) {
        FillSandbox(sb, r.add_pod_sandboxes());
      },
      send);
}

}  // namespace cricket::cri
