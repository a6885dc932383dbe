// StopPodSandbox and RemovePodSandbox; both idempotent, as the kubelet needs.
#include "cri/service/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::StopPodSandbox(const v1::StopPodSandboxRequest& req,
                                             v1::StopPodSandboxResponse* resp) {
  if (req.pod_sandbox_id().empty()) return absl::InvalidArgumentError("pod_sandbox_id is required");
  absl::StatusOr<pod::PodId> id = ctx().sandboxes->Resolve(req.pod_sandbox_id());
  absl::Status st = id.ok() ? ctx().sandboxes->Stop(*id) : id.status();
  // The kubelet stops pods it no longer knows: a missing one is already stopped.
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;
}

absl::Status RuntimeHandlers::RemovePodSandbox(const v1::RemovePodSandboxRequest& req,
                                               v1::RemovePodSandboxResponse* resp) {
  if (req.pod_sandbox_id().empty()) return absl::InvalidArgumentError("pod_sandbox_id is required");
  absl::StatusOr<pod::PodId> id = ctx().sandboxes->Resolve(req.pod_sandbox_id());
  if (absl::IsNotFound(id.status())) return absl::OkStatus();  // already removed
  if (!id.ok()) return id.status();
  return ctx().sandboxes->Remove(*id);
}

}  // namespace cricket::cri
