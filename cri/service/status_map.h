// The one place where absl status codes become gRPC status codes (they match 1:1).
#pragma once

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace cricket::cri {

// The gRPC code for an absl code; values outside the known range become UNKNOWN.
grpc::StatusCode ToGrpcCode(absl::StatusCode code);

// Keeps the code and the message; OK maps to OK.
grpc::Status ToGrpcStatus(const absl::Status& st);

}  // namespace cricket::cri
