// GetContainerEvents: the event stream behind the kubelet's evented PLEG.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::GetContainerEvents(const v1::GetEventsRequest& req,
                                                 const Sink<v1::ContainerEventResponse>& send) {
  return NotImplemented("GetContainerEvents");
}

}  // namespace cricket::cri
