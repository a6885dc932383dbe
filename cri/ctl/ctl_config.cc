// Loading and saving cricketctl.yaml (see ctl_config.h). yaml-cpp throws;
// its exceptions stop here.
#include "cri/ctl/ctl_config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {

const std::vector<std::string>& ConfigKeys() {
  static const std::vector<std::string> kKeys = {"runtime-endpoint", "image-endpoint", "timeout",
                                                 "debug"};
  return kKeys;
}

absl::Status CheckSetting(const std::string& key, const std::string& value) {
  const auto& keys = ConfigKeys();
  if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown setting \"", key, "\" (runtime-endpoint, image-endpoint, timeout, debug)"));
  }
  double d = 0;
  if (key == "timeout" && !value.empty() &&
      !absl::SimpleAtod(value.back() == 's' ? value.substr(0, value.size() - 1) : value, &d)) {
    return absl::InvalidArgumentError(absl::StrCat("timeout \"", value, "\": not a number"));
  }
  if (key == "debug" && value != "true" && value != "false" && !value.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("debug \"", value, "\": true or false"));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, std::string>> LoadCtlConfig(const std::string& path) {
  auto text = sys::ReadFile(path);
  if (absl::IsNotFound(text.status())) return std::map<std::string, std::string>();
  if (!text.ok()) return text.status();
  std::map<std::string, std::string> out;
  try {
    YAML::Node root = YAML::Load(*text);
    if (root.IsNull()) return out;
    if (!root.IsMap()) return absl::InvalidArgumentError(path + ": not a YAML map");
    for (const auto& kv : root) {
      std::string key = kv.first.as<std::string>();
      std::string value = kv.second.IsNull() ? "" : kv.second.as<std::string>();
      absl::Status st = CheckSetting(key, value);
      if (!st.ok()) {
        return absl::InvalidArgumentError(absl::StrCat(path, ":", kv.first.Mark().line + 1, ": ",
                                                       std::string(st.message())));
      }
      out[key] = value;
    }
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", e.what()));
  }
  return out;
}

absl::Status SaveCtlConfig(const std::string& path,
                           const std::map<std::string, std::string>& settings) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  for (const auto& key : ConfigKeys()) {
    auto it = settings.find(key);
    if (it == settings.end()) continue;
    out << YAML::Key << key << YAML::Value;
    if (key == "timeout" || key == "debug") {
      out << it->second;
    } else {
      out << YAML::DoubleQuoted << it->second;
    }
  }
  out << YAML::EndMap;
  return sys::Annotate(sys::WriteFileAtomic(path, std::string(out.c_str()) + "\n"),
                       "write %s", path);
}

}  // namespace cricket::cri::ctl
