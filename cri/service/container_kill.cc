// KillContainer (cricket.v1): resolves the id (a prefix works, as in CRI)
// and hands the signal to the container manager.
#include "cri/service/container_kill.h"

#include "cri/service/instrumented.h"
#include "oci/sys/status.h"

namespace cricket::cri {

grpc::Status GrpcCricketContainers::KillContainer(grpc::ServerContext*,
                                                  const ::cricket::v1::KillContainerRequest* req,
                                                  ::cricket::v1::KillContainerResponse* resp) {
  return Instrumented("KillContainer", [&]() -> absl::Status {
    ASSIGN_OR_RETURN(pod::ContainerId id, ctx_->containers->Resolve(req->container_id()));
    RETURN_IF_ERROR(ctx_->containers->Kill(id, req->signal().empty() ? "KILL" : req->signal()));
    resp->set_container_id(id.str());
    return absl::OkStatus();
  });
}

}  // namespace cricket::cri
