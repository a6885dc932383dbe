// cricketctl's own settings file, crictl's crictl.yaml shape:
//   runtime-endpoint: unix:///run/cricket/cricket.sock
//   image-endpoint: unix:///run/cricket/cricket.sock
//   timeout: 10
//   debug: false
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"

namespace cricket::cri::ctl {

inline constexpr char kDefaultConfigPath[] = "/etc/cricketctl.yaml";
inline constexpr char kConfigEnv[] = "CRICKETCTL_CONFIG";

// The keys `config` knows, in the order --list prints them.
const std::vector<std::string>& ConfigKeys();

// KEY → value as written (strings). A missing file is an empty map;
// InvalidArgument naming the file for bad YAML or an unknown key.
absl::StatusOr<std::map<std::string, std::string>> LoadCtlConfig(const std::string& path);

// Writes the settings atomically as YAML, in ConfigKeys() order.
absl::Status SaveCtlConfig(const std::string& path,
                           const std::map<std::string, std::string>& settings);

// InvalidArgument for an unknown key or a value of the wrong kind.
absl::Status CheckSetting(const std::string& key, const std::string& value);

}  // namespace cricket::cri::ctl
