// CreateContainer: validate, then the pod layer builds the rootfs, the OCI
// spec and starts the monitor (with rollback); a retry gets the same id.
#include "cri/service/container_convert.h"
#include "cri/service/runtime_handlers.h"
#include "oci/sys/status.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::CreateContainer(const v1::CreateContainerRequest& req,
                                              v1::CreateContainerResponse* resp) {
  RETURN_IF_ERROR(ValidateContainerRequest(req));
  absl::StatusOr<pod::PodId> pod = ctx().sandboxes->Resolve(req.pod_sandbox_id());
  if (!pod.ok()) {
    return sys::Annotate(pod.status(), "create container %s", req.config().metadata().name());
  }
  ASSIGN_OR_RETURN(pod::ContainerId id,
                   ctx().containers->Create(*pod, req.config(), req.sandbox_config()));
  resp->set_container_id(id.str());
  return absl::OkStatus();
}

}  // namespace cricket::cri
