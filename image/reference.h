// Image references: parse and normalise as Docker does
// ("busybox" → "docker.io/library/busybox:latest").
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace cricket::image {

struct Reference {
  std::string domain;  // "docker.io", "127.0.0.1:5000", "[::1]:5000"
  std::string path;    // "library/busybox"
  std::string tag;     // "latest" (defaulted only when there is no digest)
  std::string digest;  // "sha256:<64 hex>" or ""

  // "docker.io/library/busybox"
  std::string Repository() const { return domain + "/" + path; }
  // Full normalised form: repository[:tag][@digest].
  std::string String() const;
  // The tag, else the digest: what to ask the registry's manifests endpoint for.
  std::string TagOrDigest() const { return digest.empty() ? tag : digest; }
  bool operator==(const Reference&) const = default;
};

// Parses and normalises. InvalidArgument naming the reference and the reason.
absl::StatusOr<Reference> ParseReference(std::string_view s);

}  // namespace cricket::image
