// Resolves the container's user from the CRI security context or the image's
// USER, with the image's /etc/passwd and /etc/group.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "pod/spec/inputs.h"

namespace cricket::pod::spec {

struct ResolvedUser {
  uint32_t uid = 0, gid = 0;
  std::vector<uint32_t> additional_gids;
  std::string home;  // for HOME when the image does not set it
};

absl::StatusOr<ResolvedUser> ResolveUser(const Inputs& in);

// "name or number[:name or number]" against passwd/group contents.
absl::StatusOr<ResolvedUser> ResolveUserString(const std::string& user, const std::string& passwd,
                                               const std::string& group);

}  // namespace cricket::pod::spec
