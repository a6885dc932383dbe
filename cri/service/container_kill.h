// cricket.v1.Containers: KillContainer, for `cricketctl kill` (CRI can only
// stop a container, not send it a signal), served on the CRI socket.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "cri/api/cricket.grpc.pb.h"
#include "cri/service/handler_context.h"

namespace cricket::cri {

class GrpcCricketContainers final : public ::cricket::v1::Containers::Service {
 public:
  explicit GrpcCricketContainers(std::shared_ptr<const HandlerContext> ctx)
      : ctx_(std::move(ctx)) {}

  grpc::Status KillContainer(grpc::ServerContext*, const ::cricket::v1::KillContainerRequest* req,
                             ::cricket::v1::KillContainerResponse* resp) override;

 private:
  std::shared_ptr<const HandlerContext> ctx_;
};

}  // namespace cricket::cri
