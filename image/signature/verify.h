// Signature checks with OpenSSL: a PEM public key (ECDSA, as cosign makes
// them, or RSA) and a DER signature over SHA-256 of the payload.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "image/signature/policy.h"

namespace cricket::image::signature {

// The key parses and is ECDSA or RSA. InvalidArgument naming the key.
absl::Status CheckPublicKey(const PublicKey& key);

// OK when `signature` (raw DER bytes, not base64) verifies over `payload`
// with `key`; PermissionDenied otherwise.
absl::Status VerifySignature(const PublicKey& key, std::string_view payload,
                             std::string_view signature);

}  // namespace cricket::image::signature
