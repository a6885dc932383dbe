// StopPodSandbox and RemovePodSandbox; both idempotent, as the kubelet needs.
#include "cri/service/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::StopPodSandbox(const v1::StopPodSandboxRequest& req,
                                             v1::StopPodSandboxResponse* resp) {
  if (!ctx().sandboxes) return NotImplemented("StopPodSandbox");
  if (req.pod_sandbox_id().empty()) return absl::InvalidArgumentError("pod_sandbox_id is required");
  absl::Status st = ctx().sandboxes->Stop(req.pod_sandbox_id());
  // The kubelet stops pods it no longer knows: a missing one is already stopped.
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;
}

absl::Status RuntimeHandlers::RemovePodSandbox(const v1::RemovePodSandboxRequest& req,
                                               v1::RemovePodSandboxResponse* resp) {
  if (!ctx().sandboxes) return NotImplemented("RemovePodSandbox");
  if (req.pod_sandbox_id().empty()) return absl::InvalidArgumentError("pod_sandbox_id is required");
  return ctx().sandboxes->Remove(req.pod_sandbox_id());
}

}  // namespace cricket::cri
