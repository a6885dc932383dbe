// Output formats shared by cricketctl's commands: table, JSON (protobuf's JSON
// mapping, as crictl prints it), YAML (the same tree through yaml-cpp) and a
// Go template over the JSON tree.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "cri/client/text_table.h"
#include "cri/ctl/flags.h"
#include "nlohmann/json_fwd.hpp"

namespace cricket::cri::ctl {

enum class Format { kTable, kJson, kYaml, kGoTemplate };

struct OutputOptions {
  Format format = Format::kTable;
  std::string tmpl;  // kGoTemplate
};

absl::StatusOr<Format> ParseFormat(std::string_view name);

// Removes "-o X", "-oX", "--output X" or "--output=X" from args; `fallback`
// when absent. Any other argument left is the caller's to judge.
absl::StatusOr<Format> TakeFormatFlag(std::vector<std::string>& args, Format fallback);

// A message as a JSON tree, camelCase names, zero values included.
absl::StatusOr<nlohmann::json> MessageToJson(const google::protobuf::Message& msg);

// Pretty-printed JSON or YAML text of a tree, ending with a newline.
std::string JsonText(const nlohmann::json& tree);
std::string YamlText(const nlohmann::json& tree);

using client::FormatTable;

// -o/--output and --template from parsed flags; `fallback` when absent.
// table_ok=false refuses -o table (commands that print one document).
absl::StatusOr<OutputOptions> OutputFrom(const Flags& flags, Format fallback,
                                         bool table_ok = true);

// Prints a tree as JSON, YAML or through the template (not as a table).
absl::Status PrintTree(const nlohmann::json& tree, const OutputOptions& out);
absl::Status PrintMessage(const google::protobuf::Message& msg, const OutputOptions& out);

}  // namespace cricket::cri::ctl
