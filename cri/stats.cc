// Container and pod sandbox stats, single, listed and streamed.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::ContainerStats(const v1::ContainerStatsRequest& req,
                                             v1::ContainerStatsResponse* resp) {
  return NotImplemented("ContainerStats");
}

absl::Status RuntimeHandlers::ListContainerStats(const v1::ListContainerStatsRequest& req,
                                                 v1::ListContainerStatsResponse* resp) {
  return NotImplemented("ListContainerStats");
}

absl::Status RuntimeHandlers::StreamContainerStats(
    const v1::StreamContainerStatsRequest& req,
    const Sink<v1::StreamContainerStatsResponse>& send) {
  return NotImplemented("StreamContainerStats");
}

absl::Status RuntimeHandlers::PodSandboxStats(const v1::PodSandboxStatsRequest& req,
                                              v1::PodSandboxStatsResponse* resp) {
  return NotImplemented("PodSandboxStats");
}

absl::Status RuntimeHandlers::ListPodSandboxStats(const v1::ListPodSandboxStatsRequest& req,
                                                  v1::ListPodSandboxStatsResponse* resp) {
  return NotImplemented("ListPodSandboxStats");
}

absl::Status RuntimeHandlers::StreamPodSandboxStats(
    const v1::StreamPodSandboxStatsRequest& req,
    const Sink<v1::StreamPodSandboxStatsResponse>& send) {
  return NotImplemented("StreamPodSandboxStats");
}

}  // namespace cricket::cri
