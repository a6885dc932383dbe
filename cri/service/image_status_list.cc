// ListImages (and its streaming variant) and ImageStatus. A missing image is
// not an error for ImageStatus: the response simply has no image (CRI rule).
#include <nlohmann/json.hpp>

#include "cri/service/image_convert.h"
#include "cri/service/image_handlers.h"
#include "cri/service/stream_chunks.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

bool Wanted(const image::Image& img, const std::string& filter) {
  if (filter.empty() || img.record.id == filter) return true;
  for (const auto& t : img.record.repo_tags) {
    if (t == filter) return true;
  }
  for (const auto& d : img.record.repo_digests) {
    if (d == filter) return true;
  }
  return false;
}

}  // namespace

// The images a filter selects: all, or the one its reference resolves to.
absl::StatusOr<std::vector<image::Image>> ImageHandlers::Filtered(const v1::ImageFilter& f) {
  ASSIGN_OR_RETURN(auto all, ctx().images->List());
  std::string filter = f.image().image();
  if (!filter.empty()) {
    auto one = ctx().images->Status(filter);
    if (one.ok()) filter = one->record.id;
  }
  std::vector<image::Image> out;
  for (auto& img : all) {
    if (Wanted(img, filter)) out.push_back(std::move(img));
  }
  return out;
}

absl::Status ImageHandlers::ListImages(const v1::ListImagesRequest& req, v1::ListImagesResponse* resp) {
  ASSIGN_OR_RETURN(auto images, Filtered(req.filter()));
  for (const auto& img : images) FillImage(img, resp->add_images());
  return absl::OkStatus();
}

absl::Status ImageHandlers::StreamImages(const v1::StreamImagesRequest& req,
                                         const Sink<v1::StreamImagesResponse>& send) {
  ASSIGN_OR_RETURN(auto images, Filtered(req.filter()));
  return SendInChunks(
      images, [](v1::StreamImagesResponse& r, const image::Image& img) { FillImage(img, r.add_images()); },
      send);
}

absl::Status ImageHandlers::ImageStatus(const v1::ImageStatusRequest& req,
                                        v1::ImageStatusResponse* resp) {
  auto img = ctx().images->Status(req.image().image());
  if (img.status().code() == absl::StatusCode::kNotFound) return absl::OkStatus();
  if (!img.ok()) return img.status();
  FillImage(*img, resp->mutable_image());
  if (req.verbose()) {
    nlohmann::json info = {{"manifest_digest", img->record.manifest_digest},
                           {"chain_ids", img->record.chain_ids},
                           {"env", img->config.env},
                           {"entrypoint", img->config.entrypoint},
                           {"cmd", img->config.cmd},
                           {"working_dir", img->config.working_dir},
                           {"user", img->config.user}};
    (*resp->mutable_info())["info"] = info.dump();
  }
  return absl::OkStatus();
}

}  // namespace cricket::cri
