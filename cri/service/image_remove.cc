// RemoveImage: idempotent (a missing image is fine); an image a container
// still uses is refused, naming the container.
#include "cri/service/image_handlers.h"

namespace cricket::cri {

absl::Status ImageHandlers::RemoveImage(const v1::RemoveImageRequest& req,
                                        v1::RemoveImageResponse* resp) {
  image::InUse in_use;
  for (const auto& c : ctx().containers->List({})) in_use.emplace(c.image_id, c.id);
  absl::Status st = ctx().images->Remove(req.image().image(), in_use);
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;
}

}  // namespace cricket::cri
