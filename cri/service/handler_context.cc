// Defaults shared by the handlers: the network provider before CNI is
// plugged in, the check that every service is wired, and the UNIMPLEMENTED
// answer.
#include "cri/service/handler_context.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cricket::cri {

NetworkCondition CniNotLoadedYet() {
  return {
      .ready = false, .reason = "NetworkPluginNotReady", .message = "cni config not loaded yet"};
}

absl::Status CheckWired(const HandlerContext& ctx) {
  const std::pair<const char*, bool> services[] = {
      {"network", ctx.network != nullptr},       {"records", ctx.records != nullptr},
      {"sandboxes", ctx.sandboxes != nullptr},   {"images", ctx.images != nullptr},
      {"rootfs", ctx.rootfs != nullptr},         {"containers", ctx.containers != nullptr},
      {"events", ctx.events != nullptr},         {"stats", ctx.stats != nullptr},
      {"streaming", ctx.streaming != nullptr},   {"network_status", ctx.network_status != nullptr},
  };
  std::vector<std::string> missing;
  for (const auto& [name, set] : services) {
    if (!set) missing.emplace_back(name);
  }
  if (missing.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("CRI handlers need every service wired; missing: ", absl::StrJoin(missing, ", ")));
}

}  // namespace cricket::cri
