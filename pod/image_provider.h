// What the container layer needs from the image layer: resolve a reference
// to an image (id + config), and prepare / remove a container's rootfs. An
// interface so container tests can fake it; ImageServiceProvider adapts
// image::ImageService.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "image/snapshot.h"
#include "pod/spec/inputs.h"

namespace cricket::image {
class ImageService;
}

namespace cricket::pod {

struct ResolvedImage {
  std::string id;        // "sha256:<hex>"
  std::string ref;       // a repo digest when known (ContainerStatus.image_ref), else the id
  spec::ImageConfig config;
};

class RootfsProvider {
 public:
  virtual ~RootfsProvider() = default;
  // NotFound when the image has not been pulled.
  virtual absl::StatusOr<ResolvedImage> Resolve(const std::string& ref) = 0;
  // Idempotent; returns the rootfs path.
  virtual absl::StatusOr<std::string> PrepareRootfs(const std::string& container_id,
                                                    const std::string& image_id) = 0;
  // The rootfs presented through a pod's user namespace; providers without
  // id-mapped mounts say so.
  virtual absl::StatusOr<std::string> PrepareRootfsIdMapped(const std::string& container_id,
                                                            const std::string& image_id,
                                                            const image::RootfsIdMap& idmap) {
    return absl::UnimplementedError("this rootfs provider has no id-mapped rootfs");
  }
  // An image volume (CRI Mount.image): the image's layers mounted read-only
  // for the container; idempotent; RemoveRootfs removes it too. Returns the
  // mount's path.
  virtual absl::StatusOr<std::string> PrepareImageVolume(const std::string& container_id,
                                                         size_t index,
                                                         const std::string& image_id) {
    return absl::UnimplementedError("this rootfs provider has no image volumes");
  }
  // A missing rootfs is fine.
  virtual absl::Status RemoveRootfs(const std::string& container_id) = 0;
};

class ImageServiceProvider : public RootfsProvider {
 public:
  explicit ImageServiceProvider(image::ImageService* images) : images_(images) {}
  absl::StatusOr<ResolvedImage> Resolve(const std::string& ref) override;
  absl::StatusOr<std::string> PrepareRootfs(const std::string& container_id,
                                            const std::string& image_id) override;
  absl::StatusOr<std::string> PrepareRootfsIdMapped(const std::string& container_id,
                                                    const std::string& image_id,
                                                    const image::RootfsIdMap& idmap) override;
  absl::StatusOr<std::string> PrepareImageVolume(const std::string& container_id, size_t index,
                                                 const std::string& image_id) override;
  absl::Status RemoveRootfs(const std::string& container_id) override;

 private:
  image::ImageService* images_;
};

}  // namespace cricket::pod
