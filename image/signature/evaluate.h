// Decides whether a policy scope accepts an image: every requirement must,
// and a sigstoreSigned one needs one signature that passes every check
// (payload digest, signature with one of its keys, signed manifest digest,
// signed identity). No I/O: the signatures come from a callback, called only
// when a requirement needs them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "image/reference.h"
#include "image/signature/policy.h"

namespace cricket::image::signature {

struct FetchedSignature {
  std::string layer_digest;  // the descriptor's digest
  std::string payload;       // the blob as the registry served it
  std::string signature;     // base64, from the layer's annotation
};

using SignatureFetch = std::function<absl::StatusOr<std::vector<FetchedSignature>>()>;

// OK, or PermissionDenied: `scope "<name>" rejects <ref>: <reason>`. An error
// of `fetch` is returned as it is (the registry failed, not the image).
absl::Status Evaluate(const Scope& scope, const Reference& ref, const std::string& manifest_digest,
                      const SignatureFetch& fetch);

// Why `claimed` (a signature's docker-reference) does not satisfy `r` for an
// image pulled as `ref`, or "" when it does.
std::string IdentityMismatch(const Requirement& r, const Reference& ref,
                             const std::string& claimed);

}  // namespace cricket::image::signature
