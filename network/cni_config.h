// CNI network configuration: parse .conflist / .conf / .json files and pick
// the network from a conf dir (the first valid file by name wins, as the
// kubelet's runtimes do).
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace cricket::network {

// A CNI spec version as three numbers, for "does this version know verb X".
struct CniVersion {
  int major = 0, minor = 0, patch = 0;
  auto operator<=>(const CniVersion&) const = default;
};
absl::StatusOr<CniVersion> ParseCniVersion(std::string_view text);
// Versions the plugins' spec knows: 0.1.0 ... 1.1.0.
bool IsKnownCniVersion(std::string_view text);

struct PluginConf {
  std::string type;
  std::set<std::string> capabilities;  // those set to true
  nlohmann::json conf;                 // the plugin's object as written
};

struct NetworkConfigList {
  std::string name;
  std::string cni_version;
  bool disable_check = false;
  bool disable_gc = false;
  std::vector<PluginConf> plugins;
  std::string source;  // file it came from ("" when parsed from bytes)
  std::string bytes;   // the list as JSON text (a .conf wrapped as a list), cached for DEL
};

// A .conflist document (InvalidArgument naming `source` when malformed).
absl::StatusOr<NetworkConfigList> ParseConfList(std::string_view json, std::string_view source);
// A single-plugin .conf document, wrapped as a one-plugin list.
absl::StatusOr<NetworkConfigList> ParseConf(std::string_view json, std::string_view source);
// Chooses by extension: .conflist → list; .conf → single; .json → list if it
// has "plugins", else single.
absl::StatusOr<NetworkConfigList> ParseConfigFile(std::string_view json, std::string_view path);

// A file of the conf dir that was not used, and why.
struct SkippedFile {
  std::string path;
  std::string reason;
};

struct ConfDirScan {
  std::vector<NetworkConfigList> networks;  // valid ones, by file name
  std::vector<SkippedFile> skipped;
};

// Reads every .conflist/.conf/.json in `dir` in byte order of name. A missing
// dir gives an empty scan; bad files are listed in `skipped` (and logged).
ConfDirScan ScanConfDir(const std::string& dir);

// The network to use: the first valid one. FailedPrecondition naming the dir
// (and the skipped files) when there is none.
absl::StatusOr<NetworkConfigList> LoadDefaultNetwork(const std::string& dir);

}  // namespace cricket::network
