// ContainerStatus, ListContainers and its streaming variant.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::ContainerStatus(const v1::ContainerStatusRequest& req,
                                              v1::ContainerStatusResponse* resp) {
  return NotImplemented("ContainerStatus");
}

absl::Status RuntimeHandlers::ListContainers(const v1::ListContainersRequest& req,
                                             v1::ListContainersResponse* resp) {
  return NotImplemented("ListContainers");
}

absl::Status RuntimeHandlers::StreamContainers(const v1::StreamContainersRequest& req,
                                               const Sink<v1::StreamContainersResponse>& send) {
  return NotImplemented("StreamContainers");
}

}  // namespace cricket::cri
