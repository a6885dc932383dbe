// `cricketctl info`: Status with verbose info. Like crictl, the info map's
// values (JSON documents) are merged into the output tree under their keys.
#include <iostream>

#include "cri/ctl/command.h"
#include "cri/ctl/output.h"
#include "nlohmann/json.hpp"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

// The status message without its info map, plus each info value parsed (or
// kept as a string when the runtime put plain text there).
absl::StatusOr<nlohmann::json> InfoTree(v1::StatusResponse resp) {
  auto info = resp.info();
  resp.clear_info();
  ASSIGN_OR_RETURN(nlohmann::json tree, MessageToJson(resp));
  tree.erase("info");  // printed as an empty map otherwise
  for (const auto& [key, value] : info) {
    nlohmann::json parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    tree[key] = parsed.is_discarded() ? nlohmann::json(value) : parsed;
  }
  return tree;
}

std::string ConditionTable(const v1::StatusResponse& resp) {
  std::vector<std::vector<std::string>> rows = {{"TYPE", "STATUS", "REASON", "MESSAGE"}};
  for (const auto& c : resp.status().conditions()) {
    rows.push_back({c.type(), c.status() ? "true" : "false", c.reason(), c.message()});
  }
  return FormatTable(rows);
}

}  // namespace

absl::Status RunInfo(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("info", args));
  if (!f.args.empty()) return UsageError("info", "unexpected argument " + f.args[0]);
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kJson));
  ASSIGN_OR_RETURN(auto client, Connect(ctx));
  ASSIGN_OR_RETURN(v1::StatusResponse resp, client->Status(/*verbose=*/true));
  if (out.format == Format::kTable) {
    std::cout << ConditionTable(resp);
    return absl::OkStatus();
  }
  ASSIGN_OR_RETURN(nlohmann::json tree, InfoTree(std::move(resp)));
  return PrintTree(tree, out);
}

}  // namespace cricket::cri::ctl
