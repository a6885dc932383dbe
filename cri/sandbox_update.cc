// UpdatePodSandboxResources: pod-level resize, best effort for the kubelet.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::UpdatePodSandboxResources(
    const v1::UpdatePodSandboxResourcesRequest& req, v1::UpdatePodSandboxResourcesResponse* resp) {
  return NotImplemented("UpdatePodSandboxResources");
}

}  // namespace cricket::cri
