// Parsing of cricketd's flags and their effect on the configuration.
#include "cri/daemon/options.h"

#include <map>
#include <string_view>

#include "absl/strings/str_cat.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

// Where each value flag lands.
std::map<std::string_view, std::string*> ValueFlags(DaemonOptions& o) {
  return {{"--config", &o.load.config_file}, {"--config-dir", &o.load.config_dir},
          {"--log-level", &o.log_level},     {"--socket", &o.socket_path},
          {"--root", &o.root_dir},           {"--state", &o.state_dir}};
}

}  // namespace

std::string DaemonUsage() {
  return "usage: cricketd [config|check|failpoints] [flags]\n"
         "  (no command)       serve the CRI on the socket\n"
         "  config             print the effective configuration as YAML\n"
         "  check              check the config and this node (kernel, cgroups, CNI,\n"
         "                     dirs); one line per check, exit 1 if one FAILs\n"
         "  failpoints         list the failpoint names CRICKET_FAILPOINTS can arm\n"
         "                     (crash tests; see oci/sys/failpoint.h)\n"
         "flags:\n"
         "  --config FILE      configuration file (default /etc/cricket/cricket.yaml)\n"
         "  --config-dir DIR   drop-in directory (default /etc/cricket/cricket.d)\n"
         "  --log-level LEVEL  trace|debug|info|warn|error\n"
         "  --socket PATH      CRI socket (default /run/cricket/cricket.sock)\n"
         "  --root DIR         persistent root (default /var/lib/cricket)\n"
         "  --state DIR        runtime state root (default /run/cricket)\n"
         "  --version          print the version and exit\n"
         "signals: SIGTERM/SIGINT stop; SIGHUP re-reads the config (log level,\n"
         "  registries, pinned images and new containers' defaults apply live)\n";
}

absl::StatusOr<DaemonOptions> ParseDaemonArgs(const std::vector<std::string>& args) {
  DaemonOptions o;
  auto flags = ValueFlags(o);
  for (size_t i = 0; i < args.size(); ++i) {
    std::string_view arg = args[i];
    if (arg == "config" && o.command == DaemonOptions::Command::kServe) {
      o.command = DaemonOptions::Command::kPrintConfig;
      continue;
    }
    if (arg == "check" && o.command == DaemonOptions::Command::kServe) {
      o.command = DaemonOptions::Command::kCheck;
      continue;
    }
    if (arg == "failpoints" && o.command == DaemonOptions::Command::kServe) {
      o.command = DaemonOptions::Command::kFailpoints;
      continue;
    }
    if (arg == "--version" || arg == "-v") {
      o.command = DaemonOptions::Command::kVersion;
      continue;
    }
    if (arg == "--help" || arg == "-h") {
      o.command = DaemonOptions::Command::kHelp;
      continue;
    }
    std::string_view name = arg.substr(0, arg.find('='));
    auto it = flags.find(name);
    if (it == flags.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown argument \"", std::string(arg), "\""));
    }
    if (name.size() < arg.size()) {
      *it->second = std::string(arg.substr(name.size() + 1));
    } else if (i + 1 < args.size()) {
      *it->second = args[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat("flag ", std::string(name), " needs a value"));
    }
    if (name == "--config") o.load.explicit_file = true;
  }
  return o;
}

absl::StatusOr<conf::Config> EffectiveConfig(const DaemonOptions& options) {
  ASSIGN_OR_RETURN(conf::Config config, conf::Load(options.load));
  if (!options.log_level.empty()) config.log_level = options.log_level;
  if (!options.socket_path.empty()) config.socket_path = options.socket_path;
  if (!options.root_dir.empty()) config.root_dir = options.root_dir;
  if (!options.state_dir.empty()) config.state_dir = options.state_dir;
  RETURN_IF_ERROR(sys::Annotate(conf::Validate(config), "command-line flags"));
  return config;
}

}  // namespace cricket::cri
