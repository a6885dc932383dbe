// cosign's signature artifacts, parsed without I/O: the OCI manifest tagged
// sha256-<hex>.sig (one layer per signature, the base64 signature in an
// annotation) and the "simple signing" payload each layer holds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::image::signature {

inline constexpr char kSimpleSigningMediaType[] =
    "application/vnd.dev.cosign.simplesigning.v1+json";
inline constexpr char kSignatureAnnotation[] = "dev.cosignproject.cosign/signature";
inline constexpr char kCosignSignatureType[] = "cosign container image signature";
// More signature layers than this are not looked at (each costs a fetch).
inline constexpr size_t kMaxSignatureLayers = 32;

// The tag of the signature artifact for an image manifest digest:
// "sha256:ab.." → "sha256-ab...sig".
std::string SignatureTag(const std::string& manifest_digest);

struct SignatureLayer {
  std::string digest;     // of the payload blob
  int64_t size = 0;
  std::string signature;  // base64 as stored; "" when the annotation is missing
};

// The simple-signing layers of the artifact's manifest (other layers are
// skipped), at most kMaxSignatureLayers of them.
absl::StatusOr<std::vector<SignatureLayer>> ParseSignatureManifest(std::string_view body);

struct SignedClaim {
  std::string docker_reference;  // critical.identity.docker-reference
  std::string manifest_digest;   // critical.image.docker-manifest-digest
};

// critical.type must be cosign's; critical holds exactly identity, image and
// type, as containers/image requires. "optional" may hold anything.
absl::StatusOr<SignedClaim> ParseSimpleSigning(std::string_view payload);

}  // namespace cricket::image::signature
