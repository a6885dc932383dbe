// RunPodSandbox: create and start a pod sandbox (issue: pods).
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::RunPodSandbox(const v1::RunPodSandboxRequest& req,
                                            v1::RunPodSandboxResponse* resp) {
  return NotImplemented("RunPodSandbox");
}

}  // namespace cricket::cri
