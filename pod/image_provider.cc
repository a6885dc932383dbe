// ImageServiceProvider: the image layer's records and snapshots, seen from
// the container layer.
#include "pod/image_provider.h"

#include "image/image_service.h"

namespace cricket::pod {

absl::StatusOr<ResolvedImage> ImageServiceProvider::Resolve(const std::string& ref) {
  absl::StatusOr<image::Image> img = images_->Status(ref);
  if (!img.ok()) return img.status();
  ResolvedImage r;
  r.id = img->record.id;
  r.ref = img->record.repo_digests.empty() ? img->record.id : img->record.repo_digests.front();
  const image::ImageConfig& c = img->config;
  r.config.entrypoint = c.entrypoint;
  r.config.cmd = c.cmd;
  r.config.env = c.env;
  r.config.working_dir = c.working_dir;
  r.config.user = c.user;
  r.config.stop_signal = c.stop_signal;
  return r;
}

absl::StatusOr<std::string> ImageServiceProvider::PrepareRootfs(const std::string& container_id,
                                                                const std::string& image_id) {
  return images_->PrepareRootfs(container_id, image_id);
}

absl::StatusOr<std::string> ImageServiceProvider::PrepareRootfsIdMapped(
    const std::string& container_id, const std::string& image_id, const image::RootfsIdMap& idmap) {
  return images_->PrepareRootfs(container_id, image_id, &idmap);
}

absl::StatusOr<std::string> ImageServiceProvider::PrepareImageVolume(
    const std::string& container_id, size_t index, const std::string& image_id) {
  return images_->PrepareVolume(container_id, index, image_id);
}

absl::Status ImageServiceProvider::RemoveRootfs(const std::string& container_id) {
  return images_->RemoveRootfs(container_id);
}

}  // namespace cricket::pod
