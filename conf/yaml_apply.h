// Applies one parsed YAML document onto a Config, key by key, so that
// applying files in turn merges them. Internal to conf/; load.cc catches
// whatever yaml-cpp might throw around the call.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "conf/config.h"
#include "yaml-cpp/yaml.h"

namespace cricket::conf::internal {

// Keys present in `doc` overwrite the fields of `config`; maps of entries
// merge entry by entry; lists are replaced whole. Errors are InvalidArgument
// "<file>:<line>: <key.path>: <why>" for the first problem met: unknown or
// duplicate key, wrong type, or a value its rule refuses.
absl::Status ApplyDocument(const YAML::Node& doc, absl::string_view file, Config& config);

}  // namespace cricket::conf::internal
