// PullImage: resolve, fetch and unpack an image (issue: images).
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/image_handlers.h"

namespace cricket::cri {

absl::Status ImageHandlers::PullImage(const v1::PullImageRequest& req,
                                      v1::PullImageResponse* resp) {
  return NotImplemented("PullImage");
}

}  // namespace cricket::cri
