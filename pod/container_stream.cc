// Streaming exec and attach for cri/streaming. Placeholder until the pod
// layer's implementation lands: both answer UNIMPLEMENTED.
#include "pod/container_manager.h"

namespace cricket::pod {

absl::StatusOr<std::unique_ptr<StreamSession>> ContainerManager::ExecStream(
    const std::string& id_or_prefix, const std::vector<std::string>& cmd,
    const StreamOptions& opts) {
  return absl::UnimplementedError("streaming exec is not implemented yet");
}

absl::StatusOr<std::unique_ptr<StreamSession>> ContainerManager::Attach(
    const std::string& id_or_prefix, const StreamOptions& opts) {
  return absl::UnimplementedError("attach is not implemented yet");
}

}  // namespace cricket::pod
