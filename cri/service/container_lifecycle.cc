// StartContainer, StopContainer (signal, timeout, then SIGKILL; idempotent)
// and RemoveContainer (idempotent).
#include "cri/service/runtime_handlers.h"

namespace cricket::cri {
namespace {

absl::Status NeedId(const std::string& id) {
  return id.empty() ? absl::InvalidArgumentError("container_id is required") : absl::OkStatus();
}

}  // namespace

absl::Status RuntimeHandlers::StartContainer(const v1::StartContainerRequest& req,
                                             v1::StartContainerResponse* resp) {
  if (!ctx().containers) return NotImplemented("StartContainer");
  if (auto st = NeedId(req.container_id()); !st.ok()) return st;
  return ctx().containers->Start(req.container_id());
}

absl::Status RuntimeHandlers::StopContainer(const v1::StopContainerRequest& req,
                                            v1::StopContainerResponse* resp) {
  if (!ctx().containers) return NotImplemented("StopContainer");
  if (auto st = NeedId(req.container_id()); !st.ok()) return st;
  absl::Status st = ctx().containers->Stop(req.container_id(), req.timeout());
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;
}

absl::Status RuntimeHandlers::RemoveContainer(const v1::RemoveContainerRequest& req,
                                              v1::RemoveContainerResponse* resp) {
  if (!ctx().containers) return NotImplemented("RemoveContainer");
  if (auto st = NeedId(req.container_id()); !st.ok()) return st;
  return ctx().containers->Remove(req.container_id());
}

}  // namespace cricket::cri
