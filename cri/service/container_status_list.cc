// ContainerStatus (verbose: pid and OCI spec), ListContainers, StreamContainers.
#include <nlohmann/json.hpp>

#include "cri/service/container_convert.h"
#include "cri/service/runtime_handlers.h"
#include "cri/service/stream_chunks.h"
#include "oci/sys/status.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::ContainerStatus(const v1::ContainerStatusRequest& req,
                                              v1::ContainerStatusResponse* resp) {
  ASSIGN_OR_RETURN(pod::ContainerId id, ctx().containers->Resolve(req.container_id()));
  ASSIGN_OR_RETURN(pod::Container c, ctx().containers->Get(id));
  FillContainerStatus(c, resp->mutable_status());
  if (req.verbose()) {
    nlohmann::json info = {{"pid", c.pid}, {"monitor_pid", c.monitor_pid},
                           {"sandbox_id", c.pod_id}, {"rootfs", c.rootfs}};
    auto spec = ctx().containers->Spec(id);
    if (spec.ok()) info["runtimeSpec"] = *spec;
    (*resp->mutable_info())["info"] = info.dump();
  }
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::ListContainers(const v1::ListContainersRequest& req,
                                             v1::ListContainersResponse* resp) {
  for (const auto& c : ctx().containers->List(FromCri(req.filter()))) {
    FillContainer(c, resp->add_containers());
  }
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::StreamContainers(const v1::StreamContainersRequest& req,
                                               const Sink<v1::StreamContainersResponse>& send) {
  return SendInChunks(
      ctx().containers->List(FromCri(req.filter())),
      [](v1::StreamContainersResponse& r, const pod::Container& c) {
        FillContainer(c, r.add_containers());
      },
      send);
}

}  // namespace cricket::cri
