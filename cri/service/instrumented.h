// containerd's "instrumented service" idea: every RPC passes through one
// wrapper that times it, logs it and maps its absl status to a gRPC status.
#pragma once

#include <grpcpp/server_context.h>
#include <grpcpp/support/status.h>

#include <functional>
#include <string_view>

#include "absl/status/status.h"

namespace cricket::cri {

// Runs `call` for the RPC named `rpc`: a debug line with the latency and code
// for every call, an error line for codes that mean a bug (INTERNAL, UNKNOWN).
grpc::Status Instrumented(std::string_view rpc, const std::function<absl::Status()>& call);

// The same, with the caller's context open as a sys::CallerScope: the steps
// of a mutation stop and roll back once its deadline passes or it cancels.
grpc::Status Instrumented(std::string_view rpc, grpc::ServerContext* ctx,
                          const std::function<absl::Status()>& call);

}  // namespace cricket::cri
