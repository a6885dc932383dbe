// ImageFsInfo: usage of the image (and container) filesystems.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/image_handlers.h"

namespace cricket::cri {

absl::Status ImageHandlers::ImageFsInfo(const v1::ImageFsInfoRequest& req,
                                        v1::ImageFsInfoResponse* resp) {
  return NotImplemented("ImageFsInfo");
}

}  // namespace cricket::cri
