// Image volumes (CRI Mount.image, the kubelet's ImageVolume feature): each
// one's image, already pulled by the kubelet, mounted read-only by the image
// layer under the container's snapshot (so it goes with the rootfs), and
// image_sub_path resolved inside that mount. The images are recorded on the
// container so that RemoveImage refuses them while it exists.
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "oci/sys/safe_path.h"
#include "oci/sys/status.h"
#include "pod/container_manager.h"

namespace cricket::pod {
namespace {

// The real path of `sub` inside `root`, resolved as if root were "/" (an
// image's absolute or climbing symlinks stay inside it). The engine binds
// the path it is given, following symlinks on the host, so it gets one with
// none left; the mount is read-only, so the path cannot change after this.
absl::StatusOr<std::string> ResolveSubPath(const std::string& root, const std::string& sub) {
  ASSIGN_OR_RETURN(sys::UniqueFd root_fd, sys::OpenRoot(root));
  ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::OpenInRoot(root_fd.get(), sub, O_PATH));
  char buf[PATH_MAX];
  std::string link = sys::FdPath(fd.get());
  ssize_t n = ::readlink(link.c_str(), buf, sizeof buf - 1);
  if (n <= 0) return sys::ErrnoStatus(errno, "readlink %s", link);
  std::string real(buf, static_cast<size_t>(n));
  if (real != root && real.rfind(root + "/", 0) != 0) {  // RESOLVE_IN_ROOT makes this a bug
    return absl::InternalError(absl::StrCat("sub path ", sub, " resolved to ", real, " outside ", root));
  }
  return real;
}

bool IsImageVolume(const runtime::v1::Mount& m) { return m.has_image() && !m.image().image().empty(); }

}  // namespace

absl::StatusOr<std::map<std::string, std::string>> ContainerManager::PrepareImageVolumes(
    const Sandbox& sb, Container& c) {
  std::map<std::string, std::string> sources;
  for (int i = 0; i < c.config.mounts_size(); ++i) {
    const runtime::v1::Mount& m = c.config.mounts(i);
    if (!IsImageVolume(m)) continue;
    const std::string& ref = m.image().image();
    auto context = [&](const absl::Status& st) {
      return sys::Annotate(st, "image volume %s at %s", ref, m.container_path());
    };
    if (!sb.userns_path.empty()) {
      // The volume would need an id-mapped overlay, which is not built yet.
      return context(absl::UnimplementedError(
          "image volumes are not supported in a pod with its own user namespace (hostUsers: false)"));
    }
    // The kubelet pulls the image before it creates the container.
    absl::StatusOr<ResolvedImage> image = images_->Resolve(ref);
    if (absl::IsNotFound(image.status())) {
      return context(absl::NotFoundError(
          absl::StrCat("image ", ref, " is not present on this node; pull it first")));
    }
    if (!image.ok()) return context(image.status());
    c.image_volumes[m.container_path()] = image->id;
    absl::StatusOr<std::string> mnt = images_->PrepareImageVolume(c.id, i, image->id);
    if (!mnt.ok()) return context(mnt.status());
    std::string source = *mnt;
    if (!m.image_sub_path().empty()) {
      auto sub = ResolveSubPath(*mnt, m.image_sub_path());
      if (!sub.ok()) return context(sys::Annotate(sub.status(), "image_sub_path %s", m.image_sub_path()));
      source = *sub;
    }
    sources[m.container_path()] = source;
  }
  return sources;
}

}  // namespace cricket::pod
