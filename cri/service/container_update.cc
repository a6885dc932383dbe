// Changes to an existing container: resources, log reopen, checkpoint.
#include "cri/service/runtime_handlers.h"
#include "oci/sys/log.h"
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
  ASSIGN_OR_RETURN(pod::ContainerId id, ctx().containers->Resolve(req.container_id()));
  // A dump cannot be cut short without leaving the container frozen, so it
  // runs to its end (as CRI-O's does); a timeout given is said to be unmet.
  if (req.timeout() > 0) {
    sys::LogWarn("CheckpointContainer: timeout is not enforced, the dump runs to its end",
                 {{"container", id.str()}, {"timeout", std::to_string(req.timeout())}});
  }
  return ctx().containers->Checkpoint(id, req.location());
}

}  // namespace cricket::cri
