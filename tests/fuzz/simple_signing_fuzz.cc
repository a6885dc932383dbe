// What a registry serves as cosign signatures: the signature manifest and
// the simple-signing payload, both from the same input, and the identity
// check over whatever docker-reference a payload claims.
#include <cstdint>
#include <string_view>

#include "image/signature/evaluate.h"
#include "image/signature/simple_signing.h"

namespace s = cricket::image::signature;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)s::ParseSignatureManifest(in);
  auto claim = s::ParseSimpleSigning(in);
  if (!claim.ok()) return 0;
  auto ref = cricket::image::ParseReference("quay.io/a:v1");
  s::Requirement r;
  for (auto m : {s::IdentityMatch::kMatchRepoDigestOrExact, s::IdentityMatch::kMatchExact,
                 s::IdentityMatch::kMatchRepository}) {
    r.identity = m;
    (void)s::IdentityMismatch(r, *ref, claim->docker_reference);
  }
  return 0;
}
