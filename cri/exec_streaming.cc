// Exec, Attach and PortForward: hand out URLs of the streaming server.
// Not implemented yet: each RPC answers UNIMPLEMENTED naming itself.
#include "cri/runtime_handlers.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::Exec(const v1::ExecRequest& req, v1::ExecResponse* resp) {
  return NotImplemented("Exec");
}

absl::Status RuntimeHandlers::Attach(const v1::AttachRequest& req, v1::AttachResponse* resp) {
  return NotImplemented("Attach");
}

absl::Status RuntimeHandlers::PortForward(const v1::PortForwardRequest& req,
                                          v1::PortForwardResponse* resp) {
  return NotImplemented("PortForward");
}

}  // namespace cricket::cri
