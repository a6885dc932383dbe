// StopPodSandbox and RemovePodSandbox; both idempotent once implemented.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::StopPodSandbox(const v1::StopPodSandboxRequest& req,
                                             v1::StopPodSandboxResponse* resp) {
  return NotImplemented("StopPodSandbox");
}

absl::Status RuntimeHandlers::RemovePodSandbox(const v1::RemovePodSandboxRequest& req,
                                               v1::RemovePodSandboxResponse* resp) {
  return NotImplemented("RemovePodSandbox");
}

}  // namespace cricket::cri
