// Output formats shared by cricketctl's commands: table, JSON (protobuf's JSON
// mapping, as crictl prints it) and YAML (the same tree through yaml-cpp).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "nlohmann/json.hpp"

namespace cricket::cri::ctl {

enum class Format { kTable, kJson, kYaml };

absl::StatusOr<Format> ParseFormat(std::string_view name);

// Removes "-o X", "-oX", "--output X" or "--output=X" from args; `fallback`
// when absent. Any other argument left is the caller's to judge.
absl::StatusOr<Format> TakeFormatFlag(std::vector<std::string>& args, Format fallback);

// A message as a JSON tree, camelCase names, zero values included.
absl::StatusOr<nlohmann::json> MessageToJson(const google::protobuf::Message& msg);

// Pretty-printed JSON or YAML text of a tree, ending with a newline.
std::string JsonText(const nlohmann::json& tree);
std::string YamlText(const nlohmann::json& tree);

// Columns padded to the widest cell, three spaces apart; rows[0] is the header.
std::string FormatTable(const std::vector<std::vector<std::string>>& rows);

}  // namespace cricket::cri::ctl
