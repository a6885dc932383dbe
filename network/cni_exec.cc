// Plugin execution through sys::RunCommand (fork+exec, safe in a threaded
// daemon), with the CNI environment on top of ours (plugins such as portmap
// need PATH to find iptables).
#include "network/cni_exec.h"

#include <unistd.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "nlohmann/json.hpp"
#include "oci/sys/child_process.h"
#include "oci/sys/status.h"

extern char** environ;

namespace cricket::network {
namespace {

using nlohmann::json;

absl::StatusOr<std::vector<std::string>> PluginEnv(const Invocation& inv) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    if (kv.rfind("CNI_", 0) != 0) env.emplace_back(kv);
  }
  env.push_back("CNI_COMMAND=" + inv.command);
  env.push_back("CNI_CONTAINERID=" + inv.container_id);
  env.push_back("CNI_NETNS=" + inv.netns);
  env.push_back("CNI_IFNAME=" + inv.ifname);
  ASSIGN_OR_RETURN(std::string args, FormatCniArgs(inv.args));
  env.push_back("CNI_ARGS=" + args);
  env.push_back("CNI_PATH=" + absl::StrJoin(inv.bin_dirs, ":"));
  return env;
}

absl::StatusCode CodeForCniError(int code) {
  switch (code) {
    case 1:  // incompatible CNI version
      return absl::StatusCode::kFailedPrecondition;
    case 4:  // invalid network config
    case 6:  // failed to decode content
    case 7:  // invalid environment variables
      return absl::StatusCode::kInvalidArgument;
    case 11:  // try again later
      return absl::StatusCode::kUnavailable;
    default:
      return absl::StatusCode::kUnknown;
  }
}

}  // namespace

absl::StatusOr<std::string> FormatCniArgs(
    const std::vector<std::pair<std::string, std::string>>& args) {
  std::string out = "IgnoreUnknown=1";
  for (const auto& [k, v] : args) {
    // ';' would start another argument and '=' confuse the split: a pod name
    // carrying them could hand the plugins arguments nobody asked for.
    constexpr std::string_view kForbidden(";=\0", 3);
    if (k.empty() || k.find_first_of(kForbidden) != std::string::npos ||
        v.find_first_of(kForbidden) != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          "CNI_ARGS ", k, "=\"", absl::CHexEscape(v), "\": ';', '=' and NUL are not allowed"));
    }
    absl::StrAppend(&out, ";", k, "=", v);
  }
  return out;
}

json PluginStdin(const NetworkConfigList& net, const PluginConf& plugin, const json& prev_result,
                 const json& runtime_config) {
  json conf = plugin.conf;
  conf["name"] = net.name;
  conf["cniVersion"] = net.cni_version;
  if (!prev_result.is_null()) conf["prevResult"] = prev_result;
  if (runtime_config.is_object() && !runtime_config.empty()) {
    conf["runtimeConfig"] = runtime_config;
  }
  return conf;
}

absl::StatusOr<std::string> FindPlugin(const std::string& type,
                                       const std::vector<std::string>& bin_dirs) {
  for (const auto& dir : bin_dirs) {
    std::string path = dir + "/" + type;
    if (::access(path.c_str(), X_OK) == 0) return path;
  }
  return absl::NotFoundError(absl::StrCat("CNI plugin \"", type, "\" not found in ",
                                          absl::StrJoin(bin_dirs, ":")));
}

absl::Status PluginError(const std::string& type, const std::string& command, int exit_code,
                         const std::string& out, const std::string& err) {
  std::string head = absl::StrCat("plugin ", type, " ", command, " failed");
  json j = json::parse(out, nullptr, /*allow_exceptions=*/false);
  if (j.is_object() && j.contains("msg")) {
    int code = j.contains("code") && j["code"].is_number_integer() ? j["code"].get<int>() : 0;
    std::string msg = j["msg"].is_string() ? j["msg"].get<std::string>() : j["msg"].dump();
    std::string details = j.contains("details") && j["details"].is_string()
                              ? j["details"].get<std::string>() : "";
    std::string text = absl::StrCat(head, " (code ", code, "): ", msg);
    if (!details.empty()) absl::StrAppend(&text, ": ", details);
    return absl::Status(CodeForCniError(code), text);
  }
  std::string text = absl::StrCat(head, " (exit ", exit_code, ")");
  std::string why = !err.empty() ? err : out;
  if (!why.empty()) absl::StrAppend(&text, ": ", why.substr(0, 1000));
  return absl::UnknownError(text);
}

absl::StatusOr<std::string> ExecPlugin(const PluginConf& plugin, const json& stdin_conf,
                                       const Invocation& inv) {
  ASSIGN_OR_RETURN(std::string path, FindPlugin(plugin.type, inv.bin_dirs));
  sys::SpawnOptions opts;
  opts.argv = {path};
  ASSIGN_OR_RETURN(opts.env, PluginEnv(inv));
  auto res = sys::RunCommand(opts, stdin_conf.dump(), inv.timeout, 1 << 20);
  if (!res.ok()) {
    return sys::Annotate(res.status(), "plugin %s %s", plugin.type, inv.command);
  }
  if (!res->exit.exited() || res->exit.code() != 0) {
    return PluginError(plugin.type, inv.command, res->exit.code(), res->out, res->err);
  }
  return std::move(res->out);
}

}  // namespace cricket::network
