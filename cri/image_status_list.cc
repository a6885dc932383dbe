// ImageStatus, ListImages and its streaming variant.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/image_handlers.h"

namespace cricket::cri {

absl::Status ImageHandlers::ListImages(const v1::ListImagesRequest& req,
                                       v1::ListImagesResponse* resp) {
  return NotImplemented("ListImages");
}

absl::Status ImageHandlers::StreamImages(const v1::StreamImagesRequest& req,
                                         const Sink<v1::StreamImagesResponse>& send) {
  return NotImplemented("StreamImages");
}

absl::Status ImageHandlers::ImageStatus(const v1::ImageStatusRequest& req,
                                        v1::ImageStatusResponse* resp) {
  return NotImplemented("ImageStatus");
}

}  // namespace cricket::cri
