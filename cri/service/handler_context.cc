// Defaults shared by the handlers: the not-yet-wired network provider and the
// UNIMPLEMENTED answer.
#include "cri/service/handler_context.h"

#include "absl/strings/str_cat.h"

namespace cricket::cri {

NetworkCondition CniNotLoadedYet() {
  return {
      .ready = false, .reason = "NetworkPluginNotReady", .message = "cni config not loaded yet"};
}

absl::Status NotImplemented(std::string_view rpc) {
  return absl::UnimplementedError(absl::StrCat(std::string(rpc), " is not implemented yet"));
}

}  // namespace cricket::cri
