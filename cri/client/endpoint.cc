// Endpoint selection and normalisation for CRI clients.
#include "cri/client/endpoint.h"

#include <cstdlib>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace cricket::cri::client {

std::string ChooseEndpoint(std::string_view flag) {
  if (!flag.empty()) return std::string(flag);
  const char* env = std::getenv(kEndpointEnv);
  if (env != nullptr && *env != '\0') return env;
  return kDefaultEndpoint;
}

absl::StatusOr<std::string> GrpcTarget(std::string_view endpoint) {
  std::string ep(endpoint);
  std::string path;
  if (absl::StartsWith(ep, "unix://")) {
    path = ep.substr(7);
  } else if (absl::StrContains(ep, "://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("endpoint ", ep, ": only unix:// sockets are supported"));
  } else {
    path = ep;
  }
  if (path.empty() || path[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("endpoint ", ep, ": need an absolute socket path (unix:///path or /path)"));
  }
  return absl::StrCat("unix://", path);
}

}  // namespace cricket::cri::client
