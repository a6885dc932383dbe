// RemoveImage: idempotent removal of an image and all its tags.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/image_handlers.h"

namespace cricket::cri {

absl::Status ImageHandlers::RemoveImage(const v1::RemoveImageRequest& req,
                                        v1::RemoveImageResponse* resp) {
  return NotImplemented("RemoveImage");
}

}  // namespace cricket::cri
