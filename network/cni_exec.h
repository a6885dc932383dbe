// Runs one CNI plugin: the spec's environment, the plugin's config on stdin
// (with name, cniVersion, prevResult and runtimeConfig filled in), a deadline,
// and the plugin's error JSON turned into a status that names the plugin.
#pragma once

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "network/cni_config.h"
#include "nlohmann/json_fwd.hpp"

namespace cricket::network {

// What every plugin of one call of a chain shares.
struct Invocation {
  std::string command;       // ADD | DEL | CHECK | STATUS | GC | VERSION
  std::string container_id;  // CNI_CONTAINERID
  std::string netns;         // CNI_NETNS ("" allowed for DEL, STATUS, GC)
  std::string ifname;        // CNI_IFNAME
  std::vector<std::pair<std::string, std::string>> args;  // CNI_ARGS, in order
  std::vector<std::string> bin_dirs;                      // CNI_PATH and plugin lookup
  std::chrono::milliseconds timeout{60000};
};

// "K8S_POD_NAMESPACE=ns;..." with IgnoreUnknown=1 first (plugins that do not
// know the K8S_ keys must not fail on them).
// A key or value holding ';', '=' or NUL is InvalidArgument.
absl::StatusOr<std::string> FormatCniArgs(
    const std::vector<std::pair<std::string, std::string>>& args);

// The stdin document for `plugin`: its conf plus the list's name and
// cniVersion, prevResult when given (not null), and runtimeConfig.
nlohmann::json PluginStdin(const NetworkConfigList& net, const PluginConf& plugin,
                           const nlohmann::json& prev_result, const nlohmann::json& runtime_config);

// First executable <dir>/<type> in bin_dirs; NotFound listing the dirs.
absl::StatusOr<std::string> FindPlugin(const std::string& type,
                                       const std::vector<std::string>& bin_dirs);

// Turns a failed plugin's output into a status: "plugin <type> <CMD> failed:
// <msg>: <details>" (code 11 "try again later" → Unavailable; bad config or
// version → InvalidArgument/FailedPrecondition; the rest → Unknown).
absl::Status PluginError(const std::string& type, const std::string& command, int exit_code,
                         const std::string& out, const std::string& err);

// Runs the plugin and returns its stdout (a result for ADD, usually empty
// for DEL/CHECK).
absl::StatusOr<std::string> ExecPlugin(const PluginConf& plugin, const nlohmann::json& stdin_conf,
                                       const Invocation& inv);

}  // namespace cricket::network
