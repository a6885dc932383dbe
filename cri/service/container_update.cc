// Changes to an existing container: resources, log reopen, checkpoint.
// Checkpointing is not implemented yet.
#include "cri/service/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::UpdateContainerResources(
    const v1::UpdateContainerResourcesRequest& req, v1::UpdateContainerResourcesResponse* resp) {
  if (!ctx().containers) return NotImplemented("UpdateContainerResources");
  return ctx().containers->UpdateResources(req.container_id(), req.linux());
}

absl::Status RuntimeHandlers::ReopenContainerLog(const v1::ReopenContainerLogRequest& req,
                                                 v1::ReopenContainerLogResponse* resp) {
  if (!ctx().containers) return NotImplemented("ReopenContainerLog");
  return ctx().containers->ReopenLog(req.container_id());
}

absl::Status RuntimeHandlers::CheckpointContainer(const v1::CheckpointContainerRequest& req,
                                                  v1::CheckpointContainerResponse* resp) {
  return NotImplemented("CheckpointContainer");
}

}  // namespace cricket::cri
