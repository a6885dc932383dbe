// Parsing of CNI network configuration files and the conf dir scan.
#include "network/cni_config.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_join.h"
#include "network/json_fields.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::network {
namespace {

using nlohmann::json;

absl::Status Invalid(std::string_view source, const std::string& why) {
  return absl::InvalidArgumentError(absl::StrCat("CNI config ", std::string(source), ": ", why));
}

absl::StatusOr<json> ParseJson(std::string_view text, std::string_view source) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Invalid(source, "not valid JSON");
  if (!j.is_object()) return Invalid(source, "not a JSON object");
  return j;
}

absl::StatusOr<PluginConf> ParsePlugin(const json& p, std::string_view source, size_t index) {
  if (!p.is_object()) return Invalid(source, absl::StrCat("plugin ", index, " is not an object"));
  PluginConf out;
  out.type = JsonString(p, "type");
  if (out.type.empty()) return Invalid(source, absl::StrCat("plugin ", index, " has no \"type\""));
  if (out.type.find('/') != std::string::npos || out.type == "..") {
    return Invalid(source, absl::StrCat("plugin type \"", out.type, "\" is not a plain name"));
  }
  auto caps = p.find("capabilities");
  if (caps != p.end() && caps->is_object()) {
    for (const auto& [k, v] : caps->items()) {
      if (v.is_boolean() && v.get<bool>()) out.capabilities.insert(k);
    }
  }
  out.conf = p;
  return out;
}

absl::Status CheckVersion(const std::string& version, std::string_view source) {
  if (version.empty()) return Invalid(source, "no \"cniVersion\"");
  if (!IsKnownCniVersion(version)) {
    return Invalid(source, absl::StrCat("unsupported cniVersion \"", version, "\""));
  }
  return absl::OkStatus();
}

bool HasSuffix(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(),
                                                suffix.data(), suffix.size()) == 0;
}

}  // namespace

absl::StatusOr<CniVersion> ParseCniVersion(std::string_view text) {
  CniVersion v;
  std::string s(text);
  char extra = 0;
  int n = std::sscanf(s.c_str(), "%d.%d.%d%c", &v.major, &v.minor, &v.patch, &extra);
  if (n != 3 || v.major < 0 || v.minor < 0 || v.patch < 0) {
    return absl::InvalidArgumentError(absl::StrCat("bad CNI version \"", s, "\""));
  }
  return v;
}

bool IsKnownCniVersion(std::string_view text) {
  static const char* const kKnown[] = {"0.1.0", "0.2.0", "0.3.0", "0.3.1",
                                       "0.4.0", "1.0.0", "1.1.0"};
  return std::any_of(std::begin(kKnown), std::end(kKnown),
                     [&](const char* k) { return text == k; });
}

absl::StatusOr<NetworkConfigList> ParseConfList(std::string_view text, std::string_view source) {
  ASSIGN_OR_RETURN(json j, ParseJson(text, source));
  NetworkConfigList out;
  out.source = std::string(source);
  out.name = JsonString(j, "name");
  if (out.name.empty()) return Invalid(source, "no network \"name\"");
  out.cni_version = JsonString(j, "cniVersion");
  RETURN_IF_ERROR(CheckVersion(out.cni_version, source));
  out.disable_check = JsonBool(j, "disableCheck");
  out.disable_gc = JsonBool(j, "disableGC");
  auto plugins = j.find("plugins");
  if (plugins == j.end() || !plugins->is_array() || plugins->empty()) {
    return Invalid(source, "\"plugins\" is missing or empty");
  }
  for (size_t i = 0; i < plugins->size(); ++i) {
    ASSIGN_OR_RETURN(PluginConf p, ParsePlugin((*plugins)[i], source, i));
    out.plugins.push_back(std::move(p));
  }
  out.bytes = j.dump();
  return out;
}

absl::StatusOr<NetworkConfigList> ParseConf(std::string_view text, std::string_view source) {
  ASSIGN_OR_RETURN(json j, ParseJson(text, source));
  if (j.contains("plugins")) return Invalid(source, "a .conf file holds a list (\"plugins\")");
  // The libcni wrapping: name and cniVersion move up to the list.
  json list = {{"name", JsonString(j, "name")},
               {"cniVersion", JsonString(j, "cniVersion")},
               {"plugins", json::array({j})}};
  if (j.contains("disableCheck")) list["disableCheck"] = j["disableCheck"];
  return ParseConfList(list.dump(), source);
}

absl::StatusOr<NetworkConfigList> ParseConfigFile(std::string_view text, std::string_view path) {
  std::string p(path);
  if (HasSuffix(p, ".conflist")) return ParseConfList(text, path);
  if (HasSuffix(p, ".conf")) return ParseConf(text, path);
  ASSIGN_OR_RETURN(json j, ParseJson(text, path));
  return j.contains("plugins") ? ParseConfList(text, path) : ParseConf(text, path);
}

ConfDirScan ScanConfDir(const std::string& dir) {
  ConfDirScan scan;
  auto names = sys::ListDir(dir);
  if (!names.ok()) return scan;
  std::sort(names->begin(), names->end());
  for (const std::string& name : *names) {
    if (!HasSuffix(name, ".conflist") && !HasSuffix(name, ".conf") && !HasSuffix(name, ".json")) {
      continue;
    }
    std::string path = dir + "/" + name;
    absl::StatusOr<NetworkConfigList> net = absl::UnknownError("unread");
    auto text = sys::ReadFile(path);
    net = text.ok() ? ParseConfigFile(*text, path) : text.status();
    if (net.ok()) {
      scan.networks.push_back(std::move(*net));
      continue;
    }
    scan.skipped.push_back({path, std::string(net.status().message())});
    sys::LogWarn("skipping CNI config file",
                 {{"file", path}, {"reason", std::string(net.status().message())}});
  }
  return scan;
}

absl::StatusOr<NetworkConfigList> LoadDefaultNetwork(const std::string& dir) {
  ConfDirScan scan = ScanConfDir(dir);
  if (!scan.networks.empty()) return std::move(scan.networks.front());
  std::string msg = absl::StrCat("no valid CNI network config in ", dir);
  if (!scan.skipped.empty()) {
    std::vector<std::string> why;
    for (const auto& s : scan.skipped) why.push_back(s.reason);
    absl::StrAppend(&msg, " (skipped: ", absl::StrJoin(why, "; "), ")");
  }
  return absl::FailedPreconditionError(msg);
}

}  // namespace cricket::network
