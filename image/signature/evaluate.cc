// Policy evaluation for one pull, in containers/image's order per signature:
// the payload is the blob its descriptor names, the signature verifies, then
// what the payload claims (manifest digest, identity) is believed.
#include "image/signature/evaluate.h"

#include <optional>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "image/digest.h"
#include "image/signature/simple_signing.h"
#include "image/signature/verify.h"

namespace cricket::image::signature {
namespace {

const char* IdentityName(IdentityMatch m) {
  switch (m) {
    case IdentityMatch::kMatchRepoDigestOrExact:
      return "matchRepoDigestOrExact";
    case IdentityMatch::kMatchExact:
      return "matchExact";
    case IdentityMatch::kMatchRepository:
      return "matchRepository";
    case IdentityMatch::kExactReference:
      return "exactReference";
    case IdentityMatch::kExactRepository:
      return "exactRepository";
  }
  return "?";
}

// "" when the signature is valid for this image under r, else why not.
std::string CheckOne(const Requirement& r, const Reference& ref,
                     const std::string& manifest_digest, const FetchedSignature& s) {
  std::string got = Sha256String(s.payload);
  if (got != s.layer_digest) {
    return absl::StrCat("payload has digest ", got, ", its descriptor says ", s.layer_digest);
  }
  if (s.signature.empty()) return "the layer has no " + std::string(kSignatureAnnotation);
  std::string der;
  if (!absl::Base64Unescape(s.signature, &der)) return "the signature is not base64";
  bool verified = false;
  std::vector<std::string> names;
  for (const PublicKey& k : r.keys) {
    names.push_back(k.name);
    verified = verified || VerifySignature(k, s.payload, der).ok();
  }
  if (!verified) return "signature does not verify with key " + absl::StrJoin(names, " or ");
  auto claim = ParseSimpleSigning(s.payload);
  if (!claim.ok()) return std::string(claim.status().message());
  if (claim->manifest_digest != manifest_digest) {
    return absl::StrCat("signed digest ", claim->manifest_digest, " is not the pulled image's ",
                        manifest_digest);
  }
  return IdentityMismatch(r, ref, claim->docker_reference);
}

// "" when one signature is valid, else the reasons of each.
std::string SigstoreFailure(const Requirement& r, const Reference& ref,
                            const std::string& manifest_digest,
                            const std::vector<FetchedSignature>& sigs) {
  if (sigs.empty()) return "no signature (" + SignatureTag(manifest_digest) + ")";
  std::vector<std::string> reasons;
  for (const FetchedSignature& s : sigs) {
    std::string why = CheckOne(r, ref, manifest_digest, s);
    if (why.empty()) return "";
    reasons.push_back(std::move(why));
  }
  if (reasons.size() == 1) return reasons[0];
  for (size_t i = 0; i < reasons.size(); ++i) reasons[i] = absl::StrCat(i + 1, ": ", reasons[i]);
  return absl::StrCat("none of ", reasons.size(), " signatures is valid: ",
                      absl::StrJoin(reasons, "; "));
}

}  // namespace

std::string IdentityMismatch(const Requirement& r, const Reference& ref,
                             const std::string& claimed) {
  const std::string head = absl::StrCat("signed identity \"", claimed, "\" ");
  auto c = ParseReference(claimed);
  if (!c.ok()) return head + "is not an image reference";
  size_t slash = claimed.rfind('/');
  const bool name_only = claimed.find('@') == std::string::npos &&
                         claimed.find(':', slash == std::string::npos ? 0 : slash) ==
                             std::string::npos;
  const bool same_repo = c->Repository() == ref.Repository();
  const bool exact = !name_only && c->String() == ref.String();
  bool ok = false;
  switch (r.identity) {
    case IdentityMatch::kMatchRepoDigestOrExact:
      ok = ref.digest.empty() ? exact : same_repo;
      break;
    case IdentityMatch::kMatchExact:
      ok = exact;
      break;
    case IdentityMatch::kMatchRepository:
      ok = same_repo;
      break;
    case IdentityMatch::kExactReference: {
      auto want = ParseReference(r.identity_reference);
      ok = !name_only && want.ok() && c->String() == want->String();
      break;
    }
    case IdentityMatch::kExactRepository:
      ok = c->Repository() == r.identity_reference;
      break;
  }
  if (ok) return "";
  const bool fixed = r.identity == IdentityMatch::kExactReference ||
                     r.identity == IdentityMatch::kExactRepository;
  return absl::StrCat(head, "does not match ", fixed ? r.identity_reference : ref.String(),
                      " (signedIdentity ", IdentityName(r.identity), ")");
}

absl::Status Evaluate(const Scope& scope, const Reference& ref, const std::string& manifest_digest,
                      const SignatureFetch& fetch) {
  std::optional<std::vector<FetchedSignature>> sigs;  // fetched once, when first needed
  for (const Requirement& r : *scope.requirements) {
    std::string why;
    switch (r.type) {
      case Requirement::kInsecureAcceptAnything:
        continue;
      case Requirement::kReject:
        why = "the scope rejects every image";
        break;
      case Requirement::kSigstoreSigned:
        if (!sigs) {
          auto got = fetch();
          if (!got.ok()) return got.status();
          sigs = std::move(*got);
        }
        why = SigstoreFailure(r, ref, manifest_digest, *sigs);
        break;
    }
    if (!why.empty()) {
      return absl::PermissionDeniedError(absl::StrCat(
          "scope \"", scope.name, "\" rejects ", ref.String(), ": ", why));
    }
  }
  return absl::OkStatus();
}

}  // namespace cricket::image::signature
