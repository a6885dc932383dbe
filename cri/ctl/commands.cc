// The command table and helpers every command shares.
#include "absl/strings/str_cat.h"
#include "cri/ctl/command.h"

namespace cricket::cri::ctl {

const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"version", "Show the runtime's name and versions", "[-o table|json|yaml]", RunVersion},
      {"info", "Show the runtime's status and configuration", "[-o json|yaml|table]", RunInfo},
  };
  return kCommands;
}

absl::StatusOr<std::unique_ptr<client::Client>> Connect(const CommandContext& ctx) {
  return client::Client::Connect(ctx.connect);
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
