// RemoveImage: idempotent (a missing image is fine); an image a container
// still uses, as its image or as an image volume, is refused, naming the
// container.
#include "cri/service/image_handlers.h"

namespace cricket::cri {

absl::Status ImageHandlers::RemoveImage(const v1::RemoveImageRequest& req,
                                        v1::RemoveImageResponse* resp) {
  image::InUse in_use;
  for (const auto& c : ctx().containers->List({})) {
    in_use.emplace(c.image_id, c.id);
    // An image mounted as a volume stays while the container exists, as in CRI-O.
    for (const auto& [path, id] : c.image_volumes) {
      in_use.emplace(id, c.id + " (its image volume at " + path + ")");
    }
  }
  absl::Status st = ctx().images->Remove(req.image().image(), in_use);
  return st.code() == absl::StatusCode::kNotFound ? absl::OkStatus() : st;
}

}  // namespace cricket::cri
