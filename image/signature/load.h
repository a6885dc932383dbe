// Reads the signature policy file and the key files it names, so that a bad
// policy or key fails when cricketd starts rather than on some later pull.
#pragma once

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "image/signature/policy.h"

namespace cricket::image::signature {

struct LoadedPolicy {
  std::string path;
  Policy policy;  // every sigstoreSigned requirement's keys read and checked
};

// nullopt when `path` does not exist (no policy: every image is accepted);
// an error naming the file (and the key file) when it cannot be used.
absl::StatusOr<std::optional<LoadedPolicy>> LoadPolicy(const std::string& path);

}  // namespace cricket::image::signature
