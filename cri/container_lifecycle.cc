// StartContainer, StopContainer and RemoveContainer.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::StartContainer(const v1::StartContainerRequest& req,
                                             v1::StartContainerResponse* resp) {
  return NotImplemented("StartContainer");
}

absl::Status RuntimeHandlers::StopContainer(const v1::StopContainerRequest& req,
                                            v1::StopContainerResponse* resp) {
  return NotImplemented("StopContainer");
}

absl::Status RuntimeHandlers::RemoveContainer(const v1::RemoveContainerRequest& req,
                                              v1::RemoveContainerResponse* resp) {
  return NotImplemented("RemoveContainer");
}

}  // namespace cricket::cri
