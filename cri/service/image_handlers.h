// The ImageService logic, free of gRPC (one file per RPC group: image_pull.cc,
// image_status_list.cc, image_remove.cc, image_fs_info.cc).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "cri/api/api.h"
#include "cri/service/handler_context.h"

namespace cricket::cri {

namespace v1 = ::runtime::v1;

class ImageHandlers {
 public:
  explicit ImageHandlers(std::shared_ptr<const HandlerContext> ctx) : ctx_(std::move(ctx)) {}

  // image_status_list.cc
  absl::Status ListImages(const v1::ListImagesRequest& req, v1::ListImagesResponse* resp);
  absl::Status StreamImages(const v1::StreamImagesRequest& req,
                            const Sink<v1::StreamImagesResponse>& send);
  absl::Status ImageStatus(const v1::ImageStatusRequest& req, v1::ImageStatusResponse* resp);
  // image_pull.cc
  // `cancelled` reports that the caller went away (gRPC deadline or cancel):
  // the pull then stops and keeps nothing half-made. `progress` sees each
  // layer's state and bytes (cricket.v1 PullImageWithProgress).
  absl::Status PullImage(const v1::PullImageRequest& req, v1::PullImageResponse* resp,
                         const std::function<bool()>& cancelled = {},
                         const image::ProgressFn& progress = {});
  // image_remove.cc
  absl::Status RemoveImage(const v1::RemoveImageRequest& req, v1::RemoveImageResponse* resp);
  // image_fs_info.cc
  absl::Status ImageFsInfo(const v1::ImageFsInfoRequest& req, v1::ImageFsInfoResponse* resp);

 private:
  const HandlerContext& ctx() const { return *ctx_; }
  absl::StatusOr<std::vector<image::Image>> Filtered(const v1::ImageFilter& f);

  std::shared_ptr<const HandlerContext> ctx_;
};

}  // namespace cricket::cri
