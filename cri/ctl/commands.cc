// The command table and helpers every command shares.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "cri/ctl/command.h"

namespace cricket::cri::ctl {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"version", "Show the runtime's name and versions", "[-o table|json|yaml]", RunVersion},
      {"info", "Show the runtime's status and configuration", "[-o json|yaml|table]", RunInfo},
      {"runp", "Run a pod sandbox from a JSON config file", "POD_CONFIG.json", RunRunp},
      {"pods", "List pod sandboxes", "[-q] [-o table|json|yaml]", RunPods},
      {"inspectp", "Show a pod sandbox's status", "[-o json|yaml] POD_ID", RunInspectp},
      {"stopp", "Stop pod sandboxes", "POD_ID...", RunStopp},
      {"rmp", "Remove pod sandboxes", "POD_ID...", RunRmp},
      {"pull", "Pull an image", "[--creds USER:PASS] [--auth BASE64] IMAGE", RunPull},
      {"images", "List images", "[-q] [-o table|json|yaml]", RunImages},
      {"rmi", "Remove images", "IMAGE...", RunRmi},
      {"create", "Create a container in a pod", "POD_ID CONTAINER_CONFIG.json POD_CONFIG.json",
       RunCreate},
      {"start", "Start created containers", "CONTAINER_ID...", RunStart},
      {"ps", "List containers", "[-a] [-q] [-o table|json|yaml]", RunPs},
      {"inspect", "Show a container's status", "[-o json|yaml] CONTAINER_ID", RunInspect},
      {"exec", "Run a command in a container (ExecSync)", "[--timeout S] CONTAINER_ID CMD [ARG...]",
       RunExec},
      {"logs", "Print a container's log", "CONTAINER_ID", RunLogs},
      {"stop", "Stop containers", "[-t SECONDS] CONTAINER_ID...", RunStop},
      {"rm", "Remove containers", "CONTAINER_ID...", RunRm},
  };
  return kCommands;
}

absl::StatusOr<std::unique_ptr<client::Client>> Connect(const CommandContext& ctx) {
  return client::Client::Connect(ctx.connect);
}

absl::Status ForEachId(const CommandContext& ctx, std::string_view command,
                       const std::vector<std::string>& ids,
                       const std::function<absl::Status(client::Client&, const std::string&)>& one) {
  if (ids.empty()) return UsageError(command, "no id given");
  auto c = Connect(ctx);
  if (!c.ok()) return c.status();
  for (const auto& id : ids) {
    absl::Status st = one(**c, id);
    if (!st.ok()) return st;
    std::cout << id << "\n";
  }
  return absl::OkStatus();
}

absl::Status UsageError(std::string_view command, std::string_view why) {
  std::string usage;
  for (const Command& c : Commands()) {
    if (command == c.name) usage = c.usage;
  }
  return absl::InvalidArgumentError(absl::StrCat(std::string(command), ": ", std::string(why),
                                                 "; usage: cricketctl ", std::string(command), " ",
                                                 usage));
}

}  // namespace cricket::cri::ctl
