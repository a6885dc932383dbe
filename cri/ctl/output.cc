// Formatting helpers for cricketctl (see output.h).
#include "cri/ctl/output.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <iostream>

#include "absl/strings/str_cat.h"
#include "cri/client/go_template.h"
#include "google/protobuf/util/json_util.h"
#include "nlohmann/json.hpp"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

// Strings YAML would read back as another type ("true", "1.5", "null") get quotes.
bool NeedsQuotes(const std::string& s) {
  if (s.empty() || s == "~" || s == "null" || s == "true" || s == "false" || s == "yes" ||
      s == "no" || s == "on" || s == "off") {
    return true;
  }
  nlohmann::json number = nlohmann::json::parse(s, nullptr, /*allow_exceptions=*/false);
  return number.is_number();
}

void EmitYaml(YAML::Emitter& out, const nlohmann::json& j) {
  if (j.is_object()) {
    out << YAML::BeginMap;
    for (const auto& [key, value] : j.items()) {
      out << YAML::Key << key << YAML::Value;
      EmitYaml(out, value);
    }
    out << YAML::EndMap;
  } else if (j.is_array()) {
    out << YAML::BeginSeq;
    for (const auto& value : j) EmitYaml(out, value);
    out << YAML::EndSeq;
  } else if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (NeedsQuotes(s)) out << YAML::DoubleQuoted;
    out << s;
  } else if (j.is_null()) {
    out << YAML::Null;
  } else {
    out << j.dump();  // numbers and booleans as JSON spells them
  }
}

}  // namespace

absl::StatusOr<Format> ParseFormat(std::string_view name) {
  if (name == "table") return Format::kTable;
  if (name == "json") return Format::kJson;
  if (name == "yaml") return Format::kYaml;
  if (name == "go-template") return Format::kGoTemplate;
  return absl::InvalidArgumentError(absl::StrCat("unknown output format \"", std::string(name),
                                                 "\" (table, json, yaml or go-template)"));
}

absl::StatusOr<Format> TakeFormatFlag(std::vector<std::string>& args, Format fallback) {
  Format format = fallback;
  for (size_t i = 0; i < args.size();) {
    const std::string& a = args[i];
    std::string value;
    size_t taken = 1;
    if (a == "-o" || a == "--output") {
      if (i + 1 >= args.size()) return absl::InvalidArgumentError(a + " needs a value");
      value = args[i + 1];
      taken = 2;
    } else if (a.rfind("--output=", 0) == 0) {
      value = a.substr(9);
    } else if (a.rfind("-o", 0) == 0 && a.size() > 2) {
      value = a.substr(2);
    } else {
      ++i;
      continue;
    }
    auto parsed = ParseFormat(value);
    if (!parsed.ok()) return parsed.status();
    format = *parsed;
    args.erase(args.begin() + i, args.begin() + i + taken);
  }
  return format;
}

absl::StatusOr<nlohmann::json> MessageToJson(const google::protobuf::Message& msg) {
  google::protobuf::util::JsonPrintOptions opts;
  opts.always_print_primitive_fields = true;
  std::string text;
  auto st = google::protobuf::util::MessageToJsonString(msg, &text, opts);
  if (!st.ok()) {
    return absl::InternalError(
        absl::StrCat("encode ", msg.GetTypeName(), " as JSON: ", std::string(st.message())));
  }
  // The text comes from protobuf's own encoder, so a parse failure is a bug.
  nlohmann::json tree = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (tree.is_discarded()) return absl::InternalError("protobuf produced invalid JSON");
  return tree;
}

std::string JsonText(const nlohmann::json& tree) { return tree.dump(2) + "\n"; }

std::string YamlText(const nlohmann::json& tree) {
  YAML::Emitter out;
  EmitYaml(out, tree);
  return std::string(out.c_str()) + "\n";
}

absl::StatusOr<OutputOptions> OutputFrom(const Flags& flags, Format fallback, bool table_ok) {
  OutputOptions out;
  out.format = fallback;
  if (flags.Has("output")) {
    ASSIGN_OR_RETURN(out.format, ParseFormat(flags.Get("output")));
  }
  out.tmpl = flags.Get("template");
  if (out.format == Format::kTable && !table_ok) {
    return absl::InvalidArgumentError("-o table is not available here (json, yaml, go-template)");
  }
  if (out.format == Format::kGoTemplate && out.tmpl.empty()) {
    return absl::InvalidArgumentError("-o go-template needs --template '{{...}}'");
  }
  return out;
}

absl::Status PrintTree(const nlohmann::json& tree, const OutputOptions& out) {
  if (out.format == Format::kGoTemplate) {
    ASSIGN_OR_RETURN(std::string text, client::ExecuteGoTemplate(out.tmpl, tree));
    std::cout << text;
    // Like crictl, a template's output ends the line.
    if (!text.empty() && text.back() != '\n') std::cout << "\n";
    return absl::OkStatus();
  }
  std::cout << (out.format == Format::kYaml ? YamlText(tree) : JsonText(tree));
  return absl::OkStatus();
}

absl::Status PrintMessage(const google::protobuf::Message& msg, const OutputOptions& out) {
  ASSIGN_OR_RETURN(nlohmann::json tree, MessageToJson(msg));
  return PrintTree(tree, out);
}

}  // namespace cricket::cri::ctl
