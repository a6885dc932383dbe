// Shared command helpers (see cmd_common.h) and config file reading.
#include "cri/ctl/cmd_common.h"

#include <google/protobuf/util/json_util.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <iostream>
#include <regex>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cri/client/text_table.h"
#include "cri/ctl/output.h"
#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

// YAML → the same tree as JSON (scalars stay strings; protobuf's JSON parser
// accepts quoted numbers and booleans, so "1" and "true" still fit).
nlohmann::json YamlToJson(const YAML::Node& n) {
  if (n.IsMap()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& kv : n) out[kv.first.as<std::string>()] = YamlToJson(kv.second);
    return out;
  }
  if (n.IsSequence()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : n) out.push_back(YamlToJson(e));
    return out;
  }
  if (n.IsNull()) return nullptr;
  std::string s = n.as<std::string>();
  if (n.Tag() == "?" && (s == "true" || s == "false")) return s == "true";
  return s;
}

}  // namespace

absl::Status ReadConfigFile(const std::string& path, google::protobuf::Message* msg,
                            const char* what) {
  ASSIGN_OR_RETURN(std::string text, sys::ReadFile(path));
  std::string json = text;
  if (text.find_first_not_of(" \t\r\n") != std::string::npos &&
      text[text.find_first_not_of(" \t\r\n")] != '{') {
    try {
      json = YamlToJson(YAML::Load(text)).dump();
    } catch (const YAML::Exception& e) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": not JSON or YAML: ", e.what()));
    }
  }
  google::protobuf::util::JsonParseOptions opts;
  opts.ignore_unknown_fields = true;  // crictl's files carry fields of newer CRI versions
  auto st = google::protobuf::util::JsonStringToMessage(json, msg, opts);
  if (!st.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": not a ", what, ": ", std::string(st.message())));
  }
  return absl::OkStatus();
}

absl::Status ForEachResolved(client::Client& c, const std::vector<std::string>& ids,
                             const Resolver& resolve,
                             const std::function<absl::Status(const std::string&)>& one) {
  for (const auto& prefix : ids) {
    ASSIGN_OR_RETURN(std::string id, resolve(c, prefix));
    RETURN_IF_ERROR(one(id));
    std::cout << id << "\n";
  }
  return absl::OkStatus();
}

absl::StatusOr<std::map<std::string, std::string>> LabelsFrom(const Flags& f) {
  std::map<std::string, std::string> out;
  for (const auto& kv : f.GetAll("label")) {
    size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) {
      return absl::InvalidArgumentError(absl::StrCat("--label ", kv, ": want KEY=VALUE"));
    }
    out[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return out;
}

absl::StatusOr<nlohmann::json> VerboseTree(
    const google::protobuf::Message& msg,
    const google::protobuf::Map<std::string, std::string>& info) {
  ASSIGN_OR_RETURN(nlohmann::json tree, MessageToJson(msg));
  tree.erase("info");
  for (const auto& [key, value] : info) {
    nlohmann::json parsed = nlohmann::json::parse(value, nullptr, /*allow_exceptions=*/false);
    tree["info"][key] = parsed.is_discarded() ? nlohmann::json(value) : parsed;
  }
  return tree;
}

bool NameMatches(const std::string& pattern, const std::string& name) {
  if (pattern.empty()) return true;
  try {
    return std::regex_search(name, std::regex(pattern));
  } catch (const std::regex_error&) {
    return name.find(pattern) != std::string::npos;
  }
}

std::string MapLines(const google::protobuf::Map<std::string, std::string>& m) {
  std::map<std::string, std::string> sorted(m.begin(), m.end());
  std::string out;
  for (const auto& [k, v] : sorted) absl::StrAppend(&out, "\t", k, " -> ", v, "\n");
  return out;
}

std::string TableId(const std::string& id, const Flags& f) {
  return f.On("no-trunc") ? id : client::ShortId(id);
}

absl::StatusOr<int64_t> MemoryBytes(const std::string& text) {
  std::string num = text, unit;
  while (!num.empty() && std::isalpha(static_cast<unsigned char>(num.back()))) {
    unit.insert(unit.begin(), static_cast<char>(std::tolower(num.back())));
    num.pop_back();
  }
  if (!unit.empty() && unit.back() == 'b') unit.pop_back();
  if (!unit.empty() && unit.back() == 'i') unit.pop_back();
  double v = 0;
  if (!absl::SimpleAtod(num, &v) || v < 0) {
    return absl::InvalidArgumentError(absl::StrCat("--memory ", text, ": not a size"));
  }
  static const std::string kUnits = "kmgtp";
  if (!unit.empty()) {
    size_t i = kUnits.find(unit);
    if (unit.size() != 1 || i == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("--memory ", text, ": unknown unit"));
    }
    for (size_t k = 0; k <= i; k++) v *= 1024;
  }
  return static_cast<int64_t>(v);
}

}  // namespace cricket::cri::ctl
