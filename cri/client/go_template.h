// A small subset of Go's text/template, enough for crictl-style
// `-o go-template --template '...'` over the JSON form of a CRI response:
//   {{.a.b}}  {{.}}  {{$.x}}  {{range .items}}..{{else}}..{{end}}
//   {{if PIPE}}..{{else if PIPE}}..{{else}}..{{end}}  {{with PIPE}}..{{end}}
//   pipelines with '|'; functions json, printf, print, println, index, len,
//   eq, ne, lt, le, gt, ge, not, and, or, upper, lower, title; {{- and -}} trimming.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "nlohmann/json_fwd.hpp"

namespace cricket::cri::client {

// Parses and runs `tmpl` on `data`. InvalidArgument naming the offending
// action on a parse or execution error. Missing map keys print "<no value>",
// as Go does for maps.
absl::StatusOr<std::string> ExecuteGoTemplate(std::string_view tmpl, const nlohmann::json& data);

}  // namespace cricket::cri::client
