// One wrapper for every RPC: time, log, map the status.
#include "cri/instrumented.h"

#include <chrono>
#include <string>

#include "absl/strings/str_cat.h"
#include "cri/status_map.h"
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
  const auto us = std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - start)
                      .count();
  std::string latency = absl::StrCat(us / 1000, ".", us % 1000 / 100, "ms");
  std::string code = absl::StatusCodeToString(st.code());
  if (IsBug(st.code())) {
    sys::LogError("cri call failed", {{"rpc", std::string(rpc)},
                                      {"latency", latency},
                                      {"code", code},
                                      {"error", std::string(st.message())}});
  } else if (sys::LogEnabled(sys::LogLevel::kDebug)) {
    sys::LogDebug("cri call", {{"rpc", std::string(rpc)},
                               {"latency", latency},
                               {"code", code},
                               {"error", std::string(st.message())}});
  }
  return ToGrpcStatus(st);
}

}  // namespace cricket::cri
