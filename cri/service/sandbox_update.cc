// UpdatePodSandboxResources: the kubelet's notice of a pod-level resize. The
// pod's cgroup parent belongs to the kubelet, which resizes it itself, and
// cricket makes no pod cgroup of its own (no pause container), so there is
// nothing to apply: as containerd does for runc pods, the pod must exist and
// the call succeeds.
#include "cri/service/runtime_handlers.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::UpdatePodSandboxResources(
    const v1::UpdatePodSandboxResourcesRequest& req, v1::UpdatePodSandboxResourcesResponse* resp) {
  if (req.pod_sandbox_id().empty()) {
    return absl::InvalidArgumentError("UpdatePodSandboxResources: pod_sandbox_id is required");
  }
  ASSIGN_OR_RETURN(pod::PodId id, ctx().sandboxes->Resolve(req.pod_sandbox_id()));
  ASSIGN_OR_RETURN(pod::Sandbox sb, ctx().sandboxes->Get(id));
  sys::LogDebug("pod resources updated (kubelet-owned cgroup; nothing to apply)",
                {{"id", sb.id}, {"cgroup_parent", sb.config.linux().cgroup_parent()}});
  return absl::OkStatus();
}

}  // namespace cricket::cri
