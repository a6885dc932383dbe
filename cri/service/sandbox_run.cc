// RunPodSandbox: validate, then the pod layer does the work (and its
// rollback); a kubelet retry gets the id of the pod already made.
#include "cri/service/runtime_handlers.h"
#include "cri/service/sandbox_convert.h"
#include "oci/sys/status.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::RunPodSandbox(const v1::RunPodSandboxRequest& req,
                                            v1::RunPodSandboxResponse* resp) {
  RETURN_IF_ERROR(ValidateSandboxConfig(req.config()));
  // The pod layer refuses a handler that is not configured, naming those that are.
  ASSIGN_OR_RETURN(pod::PodId id, ctx().sandboxes->Run(req.config(), req.runtime_handler()));
  resp->set_pod_sandbox_id(id.str());
  return absl::OkStatus();
}

}  // namespace cricket::cri
