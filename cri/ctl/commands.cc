// The command table and helpers every command shares.
#include <iostream>

#include "absl/strings/str_cat.h"
#include "cri/ctl/command.h"

namespace cricket::cri::ctl {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"version", "Show the runtime's name and versions", "[-o FORMAT]", RunVersion},
      {"info", "Show the runtime's status and configuration", "[-o FORMAT]", RunInfo},
      {"runp", "Run a pod sandbox from a JSON or YAML config file", "[-r HANDLER] POD_CONFIG",
       RunRunp},
      {"pods", "List pod sandboxes", "[FLAGS]", RunPods},
      {"inspectp", "Show pod sandboxes' status", "[-o FORMAT] POD_ID...", RunInspectp},
      {"stopp", "Stop pod sandboxes", "POD_ID...", RunStopp},
      {"rmp", "Remove pod sandboxes", "[-a] [-f] POD_ID...", RunRmp},
      {"statsp", "Show pod sandboxes' resource usage", "[FLAGS] [POD_ID]", RunStatsp},
      {"pull", "Pull an image", "[-q] [--creds USER:PASS] [--auth BASE64] [--pod-config FILE] IMAGE",
       RunPull},
      {"images", "List images", "[FLAGS] [IMAGE]", RunImages},
      {"inspecti", "Show images' status", "[-o FORMAT] IMAGE...", RunInspecti},
      {"rmi", "Remove images", "[-a] [--prune] IMAGE...", RunRmi},
      {"imagefsinfo", "Show the image filesystem's usage", "[-o FORMAT]", RunImagefsinfo},
      {"import", "Import an OCI layout or docker-archive tarball (cricketd only)",
       "[--name REF] FILE", RunImport},
      {"create", "Create a container in a pod (crictl's form), or a pod and container from flags",
       "POD_ID CONTAINER_CONFIG POD_CONFIG | [FLAGS] IMAGE [CMD [ARG...]]", RunCreate},
      {"start", "Start created containers", "CONTAINER_ID...", RunStart},
      {"ps", "List containers", "[FLAGS]", RunPs},
      {"inspect", "Show containers' status", "[--docker] [-o FORMAT] CONTAINER_ID...", RunInspect},
      {"exec", "Run a command in a container",
       "[-i] [-t] [-s|--sync] [--timeout S] [--transport spdy|websocket] CONTAINER_ID CMD [ARG...]",
       RunExec},
      {"attach", "Attach to a running container's stdio",
       "[-i] [-t] [--transport spdy|websocket] CONTAINER_ID", RunAttach},
      {"port-forward", "Forward local ports to a pod",
       "[--transport spdy|websocket] POD_ID [LOCAL:]REMOTE...", RunPortForward},
      {"run", "Pull, create and start a container in a new pod, and stream its output",
       "[--rm] [-d] [-i] [-t] [--name N] [--net host] [-p H:C[/PROTO]] [-e K=V] [-v H:C[:ro]] "
       "[-w DIR] [-u USER] [-m BYTES] [--cpus N] [--privileged] [--cgroup-parent CG] [-l K=V] "
       "[--config CTR.json --pod-config POD.json] IMAGE [CMD [ARG...]]",
       RunRun},
      {"logs", "Print a container's log", "[-f] [--tail N] [--since T] [-t] [-p] CONTAINER_ID",
       RunLogs},
      {"stop", "Stop containers", "[-t SECONDS] CONTAINER_ID...", RunStop},
      {"kill", "Send a signal to containers' init (cricketd only)",
       "[-s SIGNAL] CONTAINER_ID...", RunKill},
      {"rm", "Remove containers", "[-a] [-f] CONTAINER_ID...", RunRm},
      {"stats", "Show containers' resource usage", "[FLAGS] [CONTAINER_ID]", RunStats},
      {"update", "Update a container's resources", "[FLAGS] CONTAINER_ID...", RunUpdate},
      {"events", "Stream container events", "[-o FORMAT]", RunEvents},
      {"config", "Get and set cricketctl's settings", "[--get KEY | --set KEY=VALUE | --list]",
       RunConfig},
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
