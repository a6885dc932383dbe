// cricketd's command line: flags, the `config` and `check` subcommands, and how the flags
// override the loaded configuration.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "conf/config.h"

namespace cricket::cri {

struct DaemonOptions {
  enum class Command { kServe, kPrintConfig, kCheck, kFailpoints, kVersion, kHelp };
  Command command = Command::kServe;
  conf::LoadOptions load;  // --config (sets explicit_file), --config-dir
  // Overrides of the loaded config; empty = keep the file's value.
  std::string log_level;
  std::string socket_path;
  std::string root_dir;
  std::string state_dir;
};

// Accepts "--flag value" and "--flag=value". InvalidArgument names the bad word.
absl::StatusOr<DaemonOptions> ParseDaemonArgs(const std::vector<std::string>& args);

// Loads the config files, applies the flag overrides, and validates the result.
absl::StatusOr<conf::Config> EffectiveConfig(const DaemonOptions& options);

// The --help text.
std::string DaemonUsage();

}  // namespace cricket::cri
