// PortForward's connection inside a pod's network namespace. Placeholder
// until the pod layer's implementation lands.
#include "pod/sandbox_manager.h"

namespace cricket::pod {

absl::StatusOr<sys::UniqueFd> SandboxManager::PortForwardConnect(const std::string& id_or_prefix,
                                                                 uint16_t port) {
  return absl::UnimplementedError("port forwarding is not implemented yet");
}

}  // namespace cricket::pod
