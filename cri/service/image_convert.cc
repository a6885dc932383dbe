// The CRI's uid/username rule: a numeric USER (before any ':') is a uid,
// anything else a name; an empty USER means root (uid 0).
#include "cri/service/image_convert.h"

#include "absl/strings/numbers.h"

namespace cricket::cri {

void FillImage(const image::Image& img, runtime::v1::Image* out) {
  out->set_id(img.record.id);
  for (const auto& t : img.record.repo_tags) out->add_repo_tags(t);
  for (const auto& d : img.record.repo_digests) out->add_repo_digests(d);
  out->set_size(static_cast<uint64_t>(img.record.size));
  out->set_pinned(img.record.pinned);
  out->mutable_spec()->set_image(img.record.id);
  std::string user = img.config.user.substr(0, img.config.user.find(':'));
  int64_t uid = 0;
  if (user.empty() || absl::SimpleAtoi(user, &uid)) {
    out->mutable_uid()->set_value(uid);
  } else {
    out->set_username(user);
  }
}

}  // namespace cricket::cri
