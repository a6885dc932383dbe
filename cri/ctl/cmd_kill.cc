// `cricketctl kill [-s SIGNAL] CONTAINER...`: signals each container's init
// through cricketd's cricket.v1.Containers service (CRI can only stop a
// container). Another CRI runtime answers UNIMPLEMENTED, which is said plainly.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "cri/ctl/command.h"
#include "cri/ctl/flags.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {

absl::Status RunKill(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("kill", args));
  if (f.args.empty()) return UsageError("kill", "give a CONTAINER_ID");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  for (const std::string& id : f.args) {
    ::cricket::v1::KillContainerRequest req;
    req.set_container_id(id);
    req.set_signal(f.Get("signal", "KILL"));
    ::cricket::v1::KillContainerResponse resp;
    auto call = c->NewContext();
    grpc::Status st = c->cricket_containers().KillContainer(call.get(), req, &resp);
    if (st.error_code() == grpc::StatusCode::UNIMPLEMENTED) {
      return absl::UnimplementedError(absl::StrCat(
          "kill: the runtime at ", c->endpoint(),
          " does not offer cricket's KillContainer (cricket.v1.Containers), and CRI has no "
          "call to signal a container; use `cricketctl stop`: ", st.error_message()));
    }
    RETURN_IF_ERROR(client::FromGrpcStatus(st, "KillContainer"));
    std::cout << resp.container_id() << "\n";
  }
  return absl::OkStatus();
}

}  // namespace cricket::cri::ctl
