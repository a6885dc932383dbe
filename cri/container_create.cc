// CreateContainer: image rootfs + OCI spec + monitor launch (issue: containers).
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::CreateContainer(const v1::CreateContainerRequest& req,
                                              v1::CreateContainerResponse* resp) {
  return NotImplemented("CreateContainer");
}

}  // namespace cricket::cri
