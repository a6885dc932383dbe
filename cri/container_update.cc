// Changes to an existing container: resources, log reopen, checkpoint.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::UpdateContainerResources(
    const v1::UpdateContainerResourcesRequest& req, v1::UpdateContainerResourcesResponse* resp) {
  return NotImplemented("UpdateContainerResources");
}

absl::Status RuntimeHandlers::ReopenContainerLog(const v1::ReopenContainerLogRequest& req,
                                                 v1::ReopenContainerLogResponse* resp) {
  return NotImplemented("ReopenContainerLog");
}

absl::Status RuntimeHandlers::CheckpointContainer(const v1::CheckpointContainerRequest& req,
                                                  v1::CheckpointContainerResponse* resp) {
  return NotImplemented("CheckpointContainer");
}

}  // namespace cricket::cri
