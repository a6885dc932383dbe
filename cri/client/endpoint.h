// CRI endpoints as users write them ("unix:///run/x.sock" or a bare path) and
// the gRPC target they become. Same rules as crictl's --runtime-endpoint.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace cricket::cri::client {

inline constexpr char kDefaultEndpoint[] = "unix:///run/cricket/cricket.sock";
inline constexpr char kEndpointEnv[] = "CONTAINER_RUNTIME_ENDPOINT";

// The flag if given, else $CONTAINER_RUNTIME_ENDPOINT, else cricketd's socket.
std::string ChooseEndpoint(std::string_view flag);

// "unix:///abs/path" or "/abs/path" → "unix:///abs/path". Other schemes
// (tcp://, npipe://) and relative paths are InvalidArgument.
absl::StatusOr<std::string> GrpcTarget(std::string_view endpoint);

}  // namespace cricket::cri::client
