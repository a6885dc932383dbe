// `cricketctl events`: the GetContainerEvents stream, one document per event
// (JSON by default, as crictl prints them), until the runtime ends the stream
// or the user interrupts.
#include <iostream>

#include "cri/ctl/cmd_common.h"
#include "cri/ctl/output.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {

absl::Status RunEvents(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("events", args));
  if (!f.args.empty()) return UsageError("events", "unexpected argument " + f.args[0]);
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kJson, /*table_ok=*/false));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  grpc::ClientContext call;  // no deadline: events come when they come
  auto reader = c->runtime().GetContainerEvents(&call, v1::GetEventsRequest());
  v1::ContainerEventResponse ev;
  while (reader->Read(&ev)) {
    RETURN_IF_ERROR(PrintMessage(ev, out));
    std::cout << std::flush;
  }
  return client::FromGrpcStatus(reader->Finish(), "GetContainerEvents");
}

}  // namespace cricket::cri::ctl
