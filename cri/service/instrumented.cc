// One wrapper for every RPC: time, log, map the status.
#include "cri/service/instrumented.h"

#include <chrono>
#include <string>

#include "absl/strings/str_format.h"
#include "cri/service/metrics_registry.h"
#include "cri/service/status_map.h"
#include "oci/sys/log.h"

namespace cricket::cri {
namespace {

// Codes that mean cricket has a bug, as opposed to a refused or failed request.
bool IsBug(absl::StatusCode code) {
  return code == absl::StatusCode::kInternal || code == absl::StatusCode::kUnknown;
}

}  // namespace

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
