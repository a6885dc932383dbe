// ExecSync: run a command in a container and return its output.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::ExecSync(const v1::ExecSyncRequest& req, v1::ExecSyncResponse* resp) {
  return NotImplemented("ExecSync");
}

}  // namespace cricket::cri
