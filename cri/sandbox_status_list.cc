// PodSandboxStatus, ListPodSandbox and its streaming variant.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::PodSandboxStatus(const v1::PodSandboxStatusRequest& req,
                                               v1::PodSandboxStatusResponse* resp) {
  return NotImplemented("PodSandboxStatus");
}

absl::Status RuntimeHandlers::ListPodSandbox(const v1::ListPodSandboxRequest& req,
                                             v1::ListPodSandboxResponse* resp) {
  return NotImplemented("ListPodSandbox");
}

absl::Status RuntimeHandlers::StreamPodSandboxes(const v1::StreamPodSandboxesRequest& req,
                                                 const Sink<v1::StreamPodSandboxesResponse>& send) {
  return NotImplemented("StreamPodSandboxes");
}

}  // namespace cricket::cri
