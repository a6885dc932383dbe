// One wrapper for every RPC: time, log, map the status.
#include "cri/service/instrumented.h"

#include <chrono>
#include <string>

#include "absl/strings/str_format.h"
#include "cri/service/metrics_registry.h"
#include "cri/service/status_map.h"
#include "oci/sys/caller.h"
#include "oci/sys/log.h"

namespace cricket::cri {
namespace {

// Codes that mean cricket has a bug, as opposed to a refused or failed request.
bool IsBug(absl::StatusCode code) {
  return code == absl::StatusCode::kInternal || code == absl::StatusCode::kUnknown;
}

// Why the caller no longer waits, if it does not.
absl::Status CallerStatus(const grpc::ServerContext& ctx) {
  if (std::chrono::system_clock::now() >= ctx.deadline()) {
    return absl::DeadlineExceededError("the caller's deadline passed");
  }
  if (ctx.IsCancelled()) return absl::CancelledError("the caller cancelled the call");
  return absl::OkStatus();
}

}  // namespace

grpc::Status Instrumented(std::string_view rpc, grpc::ServerContext* ctx,
                          const std::function<absl::Status()>& call) {
  sys::CallerScope scope([ctx] { return CallerStatus(*ctx); });
  return Instrumented(rpc, call);
}

grpc::Status Instrumented(std::string_view rpc, const std::function<absl::Status()>& call) {
  const auto start = std::chrono::steady_clock::now();
  absl::Status st = call();
  const auto elapsed = std::chrono::steady_clock::now() - start;
  MetricsRegistry::Global().ObserveRpc(rpc, st.code(),
                                       std::chrono::duration<double>(elapsed).count());
  const std::string latency =
      absl::StrFormat("%.3fms", std::chrono::duration<double, std::milli>(elapsed).count());
  const std::string name(rpc);
  const std::string code = absl::StatusCodeToString(st.code());
  if (IsBug(st.code())) {
    sys::LogError("cri call failed", {{"rpc", name},
                                      {"latency", latency},
                                      {"code", code},
                                      {"error", std::string(st.message())}});
  } else if (!st.ok()) {
    sys::LogDebug("cri call", {{"rpc", name},
                               {"latency", latency},
                               {"code", code},
                               {"error", std::string(st.message())}});
  } else {
    sys::LogDebug("cri call", {{"rpc", name}, {"latency", latency}, {"code", code}});
  }
  return ToGrpcStatus(st);
}

}  // namespace cricket::cri
