// Prefix resolution of pod, container and image ids (see id_prefix.h).
#include "cri/client/id_prefix.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "oci/sys/status.h"

namespace cricket::cri::client {

absl::StatusOr<std::string> MatchIdPrefix(const std::string& kind, const std::string& prefix,
                                          const std::vector<std::string>& ids) {
  if (prefix.empty()) return absl::InvalidArgumentError(absl::StrCat("empty ", kind, " id"));
  std::vector<std::string> matches;
  for (const auto& id : ids) {
    if (id == prefix) return id;
    if (id.rfind(prefix, 0) == 0) matches.push_back(id);
  }
  if (matches.empty()) {
    return absl::NotFoundError(absl::StrCat("no ", kind, " matches \"", prefix, "\""));
  }
  if (matches.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat("ambiguous ", kind, " id prefix \"", prefix,
                                                   "\" matches ", absl::StrJoin(matches, ", ")));
  }
  return matches[0];
}

absl::StatusOr<std::string> ResolvePodId(Client& c, const std::string& prefix) {
  ASSIGN_OR_RETURN(auto resp, c.Call(c.runtime(), &v1::RuntimeService::Stub::ListPodSandbox,
                                     v1::ListPodSandboxRequest(), "ListPodSandbox"));
  std::vector<std::string> ids;
  for (const auto& p : resp.items()) ids.push_back(p.id());
  return MatchIdPrefix("pod sandbox", prefix, ids);
}

absl::StatusOr<std::string> ResolveContainerId(Client& c, const std::string& prefix) {
  ASSIGN_OR_RETURN(auto resp, c.Call(c.runtime(), &v1::RuntimeService::Stub::ListContainers,
                                     v1::ListContainersRequest(), "ListContainers"));
  std::vector<std::string> ids;
  for (const auto& ct : resp.containers()) ids.push_back(ct.id());
  return MatchIdPrefix("container", prefix, ids);
}

absl::StatusOr<std::string> ResolveImage(Client& c, const std::string& ref_or_prefix) {
  v1::ImageStatusRequest st;
  st.mutable_image()->set_image(ref_or_prefix);
  auto found = c.Call(c.images(), &v1::ImageService::Stub::ImageStatus, st, "ImageStatus");
  if (found.ok() && found->has_image()) return found->image().id();
  ASSIGN_OR_RETURN(auto resp, c.Call(c.images(), &v1::ImageService::Stub::ListImages,
                                     v1::ListImagesRequest(), "ListImages"));
  std::vector<std::string> ids;
  for (const auto& i : resp.images()) ids.push_back(i.id());
  std::string prefix = ref_or_prefix;
  // Ids are "sha256:<hex>"; people type the hex as `images` shows it.
  if (prefix.rfind("sha256:", 0) != 0) prefix = "sha256:" + prefix;
  auto id = MatchIdPrefix("image", prefix, ids);
  if (absl::IsNotFound(id.status())) {
    return absl::NotFoundError(absl::StrCat("no image matches \"", ref_or_prefix, "\""));
  }
  return id;
}

}  // namespace cricket::cri::client
