// StartContainer, StopContainer (signal, timeout, then SIGKILL; idempotent)
// and RemoveContainer (idempotent).
#include "cri/service/runtime_handlers.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

absl::Status NeedId(const std::string& id) {
  return id.empty() ? absl::InvalidArgumentError("container_id is required") : absl::OkStatus();
}

}  // namespace

absl::Status RuntimeHandlers::StartContainer(const v1::StartContainerRequest& req,
                                             v1::StartContainerResponse* resp) {
  if (auto st = NeedId(req.container_id()); !st.ok()) return st;
  ASSIGN_OR_RETURN(pod::ContainerId id, ctx().containers->Resolve(req.container_id()));
  return ctx().containers->Start(id);
}

absl::Status RuntimeHandlers::StopContainer(const v1::StopContainerRequest& req,
                                            v1::StopContainerResponse* resp) {
  if (auto st = NeedId(req.container_id()); !st.ok()) return st;
  absl::StatusOr<pod::ContainerId> id = ctx().containers->Resolve(req.container_id());
  absl::Status st = id.ok() ? ctx().containers->Stop(*id, req.timeout()) : id.status();
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;
}

absl::Status RuntimeHandlers::RemoveContainer(const v1::RemoveContainerRequest& req,
                                              v1::RemoveContainerResponse* resp) {
  if (auto st = NeedId(req.container_id()); !st.ok()) return st;
  absl::StatusOr<pod::ContainerId> id = ctx().containers->Resolve(req.container_id());
  if (absl::IsNotFound(id.status())) return absl::OkStatus();  // already removed
  if (!id.ok()) return id.status();
  return ctx().containers->Remove(*id);
}

}  // namespace cricket::cri
