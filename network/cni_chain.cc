// Chain execution, following libcni's rules for prevResult and ordering.
#include "network/cni_chain.h"

#include "absl/strings/str_join.h"
#include "oci/sys/status.h"

namespace cricket::network {
namespace {

using nlohmann::json;

CniVersion VersionOf(const NetworkConfigList& net) {
  auto v = ParseCniVersion(net.cni_version);
  return v.ok() ? *v : CniVersion{};
}

// prevResult on DEL/CHECK only exists from 0.4.0 on.
json PrevForCleanup(const NetworkConfigList& net, const json& result) {
  return VersionOf(net) >= CniVersion{0, 4, 0} ? result : json();
}

absl::StatusOr<std::string> RunOne(const NetworkConfigList& net, const PluginConf& plugin,
                                   const json& prev, const RuntimeConfig& rc,
                                   const Invocation& inv) {
  json in = PluginStdin(net, plugin, prev, RuntimeConfigFor(rc, plugin.capabilities));
  return ExecPlugin(plugin, in, inv);
}

}  // namespace

bool SupportsVerb(const NetworkConfigList& net, const std::string& verb) {
  CniVersion v = VersionOf(net);
  if (verb == "CHECK") return v >= CniVersion{0, 4, 0};
  if (verb == "STATUS" || verb == "GC") return v >= CniVersion{1, 1, 0};
  return true;
}

absl::StatusOr<CniResult> AddNetworkList(const NetworkConfigList& net, Invocation inv,
                                         const RuntimeConfig& rc, json* partial) {
  inv.command = "ADD";
  json prev;
  for (const PluginConf& plugin : net.plugins) {
    *partial = prev;
    ASSIGN_OR_RETURN(std::string out, RunOne(net, plugin, prev, rc, inv));
    // A plugin that prints nothing passes the previous result through.
    if (out.find_first_not_of(" \t\r\n") == std::string::npos) continue;
    auto parsed = ParseCniResultText(out);
    if (!parsed.ok()) return sys::Annotate(parsed.status(), "plugin %s ADD", plugin.type);
    prev = parsed->raw;
  }
  *partial = prev;
  if (prev.is_null()) {
    return absl::InvalidArgumentError(
        absl::StrCat("network ", net.name, ": no plugin of the chain returned a result"));
  }
  return ParseCniResult(prev);
}

absl::Status DelNetworkList(const NetworkConfigList& net, Invocation inv, const RuntimeConfig& rc,
                            const json& prev_result) {
  inv.command = "DEL";
  json prev = PrevForCleanup(net, prev_result);
  std::vector<std::string> failures;
  absl::StatusCode code = absl::StatusCode::kOk;
  for (auto it = net.plugins.rbegin(); it != net.plugins.rend(); ++it) {
    auto out = RunOne(net, *it, prev, rc, inv);
    if (out.ok()) continue;
    if (code == absl::StatusCode::kOk) code = out.status().code();
    failures.push_back(std::string(out.status().message()));
  }
  if (failures.empty()) return absl::OkStatus();
  return absl::Status(code, absl::StrJoin(failures, "; "));
}

absl::Status CheckNetworkList(const NetworkConfigList& net, Invocation inv,
                              const RuntimeConfig& rc, const json& result) {
  if (!SupportsVerb(net, "CHECK") || net.disable_check) return absl::OkStatus();
  inv.command = "CHECK";
  for (const PluginConf& plugin : net.plugins) {
    RETURN_IF_ERROR(RunOne(net, plugin, result, rc, inv).status());
  }
  return absl::OkStatus();
}

absl::Status StatusNetworkList(const NetworkConfigList& net, Invocation inv) {
  if (!SupportsVerb(net, "STATUS")) return absl::OkStatus();
  inv.command = "STATUS";
  for (const PluginConf& plugin : net.plugins) {
    RETURN_IF_ERROR(RunOne(net, plugin, json(), RuntimeConfig{}, inv).status());
  }
  return absl::OkStatus();
}

absl::Status GcNetworkList(const NetworkConfigList& net, Invocation inv,
                           const json& valid_attachments) {
  if (!SupportsVerb(net, "GC") || net.disable_gc) return absl::OkStatus();
  inv.command = "GC";
  std::vector<std::string> failures;
  for (const PluginConf& plugin : net.plugins) {
    json in = PluginStdin(net, plugin, json(), json::object());
    in["cni.dev/valid-attachments"] = valid_attachments;
    auto out = ExecPlugin(plugin, in, inv);
    if (!out.ok()) failures.push_back(std::string(out.status().message()));
  }
  if (failures.empty()) return absl::OkStatus();
  return absl::UnknownError(absl::StrJoin(failures, "; "));
}

}  // namespace cricket::network
