// Evaluation side of the Go template subset (go_template.h): operands,
// pipelines, Go's printing and truth rules, and the built-in functions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace cricket::cri::client::gotmpl {

struct Arg;
using Cmd = std::vector<Arg>;  // operands; a function name first when it is a call
using Pipeline = std::vector<Cmd>;

struct Arg {
  enum Kind { kField, kLiteral, kString, kFunc, kSub } kind = kLiteral;
  std::string text;               // kString value, kFunc name, source otherwise
  std::vector<std::string> path;  // kField: ".a.b" → {a, b}
  bool from_root = false;         // kField starting with '$'
  nlohmann::json literal;         // kLiteral
  std::shared_ptr<Pipeline> sub;  // kSub: "( pipeline )"
};

// Runs the commands left to right, each getting the previous result as its
// last argument. A missing map key is a discarded json value ("<no value>").
absl::StatusOr<nlohmann::json> EvalPipeline(const Pipeline& p, const nlohmann::json& dot,
                                            const nlohmann::json& root);

// fmt's %v of a value decoded from JSON: strings bare, map[k:v], [a b], <nil>.
std::string Print(const nlohmann::json& v);

// Go's truth: false, 0, nil, "" and empty collections are false.
bool Truth(const nlohmann::json& v);

}  // namespace cricket::cri::client::gotmpl
