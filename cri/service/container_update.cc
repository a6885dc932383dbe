// Changes to an existing container: resources, log reopen, checkpoint.
// Checkpointing is not implemented yet.
#include "cri/service/runtime_handlers.h"
#include "oci/sys/status.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::UpdateContainerResources(
    const v1::UpdateContainerResourcesRequest& req, v1::UpdateContainerResourcesResponse* resp) {
  ASSIGN_OR_RETURN(pod::ContainerId id, ctx().containers->Resolve(req.container_id()));
  return ctx().containers->UpdateResources(id, req.linux());
}

absl::Status RuntimeHandlers::ReopenContainerLog(const v1::ReopenContainerLogRequest& req,
                                                 v1::ReopenContainerLogResponse* resp) {
  ASSIGN_OR_RETURN(pod::ContainerId id, ctx().containers->Resolve(req.container_id()));
  return ctx().containers->ReopenLog(id);
}

absl::Status RuntimeHandlers::CheckpointContainer(const v1::CheckpointContainerRequest& req,
                                                  v1::CheckpointContainerResponse* resp) {
  return NotImplemented("CheckpointContainer");
}

}  // namespace cricket::cri
