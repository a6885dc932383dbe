// The policy file and its keys from disk (see load.h).
#include "image/signature/load.h"

#include "image/signature/verify.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/status.h"

namespace cricket::image::signature {
namespace {

absl::Status LoadKeys(Requirements& reqs) {
  for (Requirement& r : reqs) {
    for (const std::string& path : r.key_paths) {
      auto pem = sys::ReadFile(path);
      if (!pem.ok()) return sys::Annotate(pem.status(), "key file %s", path);
      r.keys.push_back({path, std::move(*pem)});
    }
    r.key_paths.clear();
    for (const PublicKey& k : r.keys) RETURN_IF_ERROR(CheckPublicKey(k));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<LoadedPolicy>> LoadPolicy(const std::string& path) {
  auto text = sys::ReadFile(path);
  if (absl::IsNotFound(text.status())) return std::nullopt;
  if (!text.ok()) return sys::Annotate(text.status(), "signature policy %s", path);
  auto policy = ParsePolicy(*text);
  if (!policy.ok()) return sys::Annotate(policy.status(), "signature policy %s", path);
  LoadedPolicy out{path, std::move(*policy)};
  absl::Status st = LoadKeys(out.policy.default_requirements);
  for (auto& [scope, reqs] : out.policy.docker) {
    if (st.ok()) st = LoadKeys(reqs);
  }
  if (!st.ok()) return sys::Annotate(st, "signature policy %s", path);
  return out;
}

}  // namespace cricket::image::signature
