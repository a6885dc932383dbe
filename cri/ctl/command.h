// cricketctl's command table: each command is one file (cmd_<name>.cc) that
// registers a Command in commands.cc. Global flags arrive in CommandContext.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "cri/client/client.h"
#include "google/protobuf/message.h"

namespace cricket::cri::ctl {

namespace v1 = ::runtime::v1;

struct CommandContext {
  client::ConnectOptions connect;  // from --runtime-endpoint / --image-endpoint / --timeout
  std::string config_path;         // cricketctl.yaml (--config, $CRICKETCTL_CONFIG)
  bool debug = false;              // -D / "debug: true"
};

struct Command {
  const char* name;
  const char* summary;
  const char* usage;  // the arguments after the name, e.g. "[-o table|json|yaml]"
  absl::Status (*run)(const CommandContext& ctx, std::vector<std::string> args);
};

// Every command, in the order `cricketctl --help` lists them.
const std::vector<Command>& Commands();

// Connects with the global options; the error names the endpoint.
absl::StatusOr<std::unique_ptr<client::Client>> Connect(const CommandContext& ctx);

// Runs `one` for each id (at least one), printing each id once done, as
// crictl does for stop/rm-style commands.
absl::Status ForEachId(const CommandContext& ctx, std::string_view command,
                       const std::vector<std::string>& ids,
                       const std::function<absl::Status(client::Client&, const std::string&)>& one);

// Usage error for a command: InvalidArgument "<cmd>: <why>; usage: ...".
absl::Status UsageError(std::string_view command, std::string_view why);

// The commands, one per file.
absl::Status RunVersion(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunInfo(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunRunp(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunPods(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunInspectp(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunStopp(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunRmp(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunPull(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunImages(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunRmi(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunCreate(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunStart(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunPs(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunInspect(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunExec(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunLogs(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunStop(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunKill(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunRm(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunStatsp(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunInspecti(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunImagefsinfo(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunImport(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunStats(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunUpdate(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunEvents(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunConfig(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunAttach(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunPortForward(const CommandContext& ctx, std::vector<std::string> args);
absl::Status RunRun(const CommandContext& ctx, std::vector<std::string> args);
// create's docker form (cmd_run.cc): `create [FLAGS] IMAGE [CMD...]`.
absl::Status RunDockerCreate(const CommandContext& ctx, std::vector<std::string> args);

// A status that makes cricketctl exit with `code` and print nothing (a
// remote command's exit code, as crictl and kubectl pass it on).
absl::Status ExitWith(int code);
std::optional<int> ExitCodeOf(const absl::Status& st);

// A pod or container config file in the JSON or YAML shape crictl accepts
// (protobuf JSON names, camelCase or snake_case). `what` names it in errors.
absl::Status ReadConfigFile(const std::string& path, google::protobuf::Message* msg,
                            const char* what);

}  // namespace cricket::cri::ctl
