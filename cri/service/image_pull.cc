// PullImage: credentials from the request's AuthConfig, the pull itself in
// the image layer; the response names the image by id.
#include "cri/service/image_handlers.h"
#include "cri/service/metrics_registry.h"
#include "oci/sys/status.h"

namespace cricket::cri {

absl::Status ImageHandlers::PullImage(const v1::PullImageRequest& req, v1::PullImageResponse* resp,
                                      const std::function<bool()>& cancelled,
                                      const image::ProgressFn& progress) {
  if (req.image().image().empty()) return absl::InvalidArgumentError("image.image is required");
  image::registry::Credentials creds;
  creds.username = req.auth().username();
  creds.password = req.auth().password();
  creds.auth = req.auth().auth();
  creds.identity_token = req.auth().identity_token();
  creds.registry_token = req.auth().registry_token();
  PullObserver pull;  // bytes and duration for the metrics endpoint
  ASSIGN_OR_RETURN(std::string id,
                   pull.Done(ctx().images->Pull(
                       req.image().image(), creds,
                       [&](const image::PullProgress& p) {
                         // Only downloads count as fetched bytes, not layers already here.
                         if (p.state == image::LayerState::kDownloading) {
                           pull.Progress(p.digest, p.done);
                         }
                         if (progress) progress(p);
                       },
                       cancelled)));
  resp->set_image_ref(id);
  return absl::OkStatus();
}

}  // namespace cricket::cri
