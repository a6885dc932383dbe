// CreateContainer: validate, then the pod layer builds the rootfs, the OCI
// spec and starts the monitor (with rollback); a retry gets the same id.
#include "cri/service/container_convert.h"
#include "cri/service/runtime_handlers.h"
#include "oci/sys/status.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::CreateContainer(const v1::CreateContainerRequest& req,
                                              v1::CreateContainerResponse* resp) {
  if (!ctx().containers) return NotImplemented("CreateContainer");
  RETURN_IF_ERROR(ValidateContainerRequest(req));
  ASSIGN_OR_RETURN(std::string id, ctx().containers->Create(req.pod_sandbox_id(), req.config(),
                                                            req.sandbox_config()));
  resp->set_container_id(id);
  return absl::OkStatus();
}

}  // namespace cricket::cri
