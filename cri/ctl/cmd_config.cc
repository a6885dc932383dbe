// `cricketctl config`: reads and changes cricketctl.yaml as crictl's config
// command does: --get KEY, --set KEY=VALUE[,KEY=VALUE], --list, or KEY [VALUE].
#include <iostream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cri/ctl/cmd_common.h"
#include "cri/ctl/ctl_config.h"
#include "cri/ctl/output.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

absl::Status SetAll(const std::string& path, const std::vector<std::pair<std::string, std::string>>& kvs) {
  ASSIGN_OR_RETURN(auto settings, LoadCtlConfig(path));
  for (const auto& [k, v] : kvs) {
    RETURN_IF_ERROR(CheckSetting(k, v));
    settings[k] = v;
  }
  return SaveCtlConfig(path, settings);
}

absl::StatusOr<std::vector<std::pair<std::string, std::string>>> SetFlags(const Flags& f) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& flag : f.GetAll("set")) {
    for (absl::string_view kv : absl::StrSplit(flag, ',', absl::SkipEmpty())) {
      size_t eq = kv.find('=');
      if (eq == absl::string_view::npos) {
        return absl::InvalidArgumentError(absl::StrCat("--set ", kv, ": want KEY=VALUE"));
      }
      out.emplace_back(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
  }
  return out;
}

}  // namespace

absl::Status RunConfig(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("config", args));
  const std::string& path = ctx.config_path;
  if (f.Has("set")) {
    ASSIGN_OR_RETURN(auto kvs, SetFlags(f));
    return SetAll(path, kvs);
  }
  if (f.args.size() == 2) return SetAll(path, {{f.args[0], f.args[1]}});
  ASSIGN_OR_RETURN(auto settings, LoadCtlConfig(path));
  if (f.Has("get") || f.args.size() == 1) {
    std::string key = f.Has("get") ? f.Get("get") : f.args[0];
    RETURN_IF_ERROR(CheckSetting(key, ""));
    std::cout << settings[key] << "\n";
    return absl::OkStatus();
  }
  if (!f.args.empty()) return UsageError("config", "give KEY [VALUE], --get, --set or --list");
  std::vector<std::vector<std::string>> rows = {{"KEY", "VALUE"}};
  for (const auto& key : ConfigKeys()) rows.push_back({key, settings[key]});
  std::cout << FormatTable(rows);
  return absl::OkStatus();
}

}  // namespace cricket::cri::ctl
