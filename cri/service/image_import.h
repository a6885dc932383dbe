// cricket.v1.Images: the ImportImage extension (CRI has no import RPC), served
// on the same socket as CRI; it hands the file to image::ImageService::Import.
// PullImageWithProgress (image_pull_progress.cc): CRI's pull with a stream of
// per-layer progress.
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "cri/api/cricket.grpc.pb.h"
#include "cri/service/handler_context.h"

namespace cricket::cri {

class GrpcCricketImages final : public ::cricket::v1::Images::Service {
 public:
  explicit GrpcCricketImages(std::shared_ptr<const HandlerContext> ctx) : ctx_(std::move(ctx)) {}

  grpc::Status ImportImage(grpc::ServerContext*, const ::cricket::v1::ImportImageRequest* req,
                           ::cricket::v1::ImportImageResponse* resp) override;
  grpc::Status PullImageWithProgress(
      grpc::ServerContext* ctx, const ::runtime::v1::PullImageRequest* req,
      grpc::ServerWriter<::cricket::v1::PullImageProgress>* w) override;

 private:
  absl::Status Import(const ::cricket::v1::ImportImageRequest& req,
                      ::cricket::v1::ImportImageResponse* resp);
  absl::Status PullWithProgress(grpc::ServerContext* ctx, const ::runtime::v1::PullImageRequest& req,
                                grpc::ServerWriter<::cricket::v1::PullImageProgress>* w);

  std::shared_ptr<const HandlerContext> ctx_;
};

}  // namespace cricket::cri
