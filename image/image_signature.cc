// ImageService's signature policy: loading (and replacing, for a reload) the
// containers-policy.json file, and the check a pull makes after the manifest
// and before any blob, so that a rejected image leaves nothing behind.
#include "absl/strings/str_cat.h"
#include "image/image_service.h"
#include "image/signature/evaluate.h"
#include "image/signature/simple_signing.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::image {
namespace {

// Simple-signing payloads are a few hundred bytes; this bounds what a
// hostile registry can make a pull hold in memory per signature.
constexpr int64_t kMaxPayloadBytes = 64 << 10;

// The cosign artifact sha256-<hex>.sig next to the image, and its payloads.
// No artifact is no signature; any other failure is the registry's.
absl::StatusOr<std::vector<signature::FetchedSignature>> FetchSignatures(
    registry::Client& c, const Reference& ref, const std::string& digest) {
  const std::string tag = signature::SignatureTag(digest);
  auto m = c.GetManifest(ref, tag);
  if (absl::IsNotFound(m.status())) return std::vector<signature::FetchedSignature>{};
  if (!m.ok()) return sys::Annotate(m.status(), "signatures %s", tag);
  auto layers = signature::ParseSignatureManifest(m->body);
  if (!layers.ok()) return sys::Annotate(layers.status(), "signatures %s", tag);
  std::vector<signature::FetchedSignature> out;
  for (const signature::SignatureLayer& l : *layers) {
    if (l.size > kMaxPayloadBytes) {
      return absl::InvalidArgumentError(absl::StrCat("signatures ", tag, ": payload ", l.digest,
                                                     " is ", l.size, " bytes, over the limit of ",
                                                     kMaxPayloadBytes));
    }
    signature::FetchedSignature s{l.digest, "", l.signature};
    RETURN_IF_ERROR(c.FetchBlob(ref, l.digest, l.size, 0, [&](const char* p, size_t n) {
      s.payload.append(p, n);
      return static_cast<int64_t>(s.payload.size()) > kMaxPayloadBytes
                 ? absl::InvalidArgumentError("payload over its size")
                 : absl::OkStatus();
    }));
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace

absl::Status ImageService::SetSignaturePolicy(const std::string& path) {
  auto loaded = signature::LoadPolicy(path);
  if (!loaded.ok()) return loaded.status();
  std::shared_ptr<const signature::LoadedPolicy> next;
  if (loaded->has_value()) {
    sys::LogInfo("signature policy loaded",
                 {{"path", path}, {"docker_scopes", std::to_string((*loaded)->policy.docker.size())}});
    next = std::make_shared<const signature::LoadedPolicy>(std::move(**loaded));
  } else {
    sys::LogInfo("no signature policy: every image is accepted", {{"path", path}});
  }
  std::lock_guard lock(mu_);
  policy_ = std::move(next);
  return absl::OkStatus();
}

absl::Status ImageService::CheckSignaturePolicy(registry::Client& c, const Reference& ref,
                                                const std::string& manifest_digest) {
  std::shared_ptr<const signature::LoadedPolicy> policy;
  {
    std::lock_guard lock(mu_);
    policy = policy_;
  }
  if (!policy) return absl::OkStatus();
  signature::Scope scope = signature::SelectScope(policy->policy, ref);
  absl::Status st = signature::Evaluate(scope, ref, manifest_digest, [&] {
    return FetchSignatures(c, ref, manifest_digest);
  });
  return sys::Annotate(st, "signature policy %s", policy->path);
}

}  // namespace cricket::image
