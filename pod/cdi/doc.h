// Internal to pod/cdi: a spec file's JSON or YAML text as one JSON tree, and
// typed reads from it that name the path of a bad value. YAML scalars are
// kept as strings (a device named 0 stays "0") and read as numbers or
// booleans where the schema wants one, as the reference's YAML loader does.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"
#include "pod/cdi/spec_file.h"

namespace cricket::pod::cdi::internal {

using nlohmann::json;

// InvalidArgument with the parser's reason (and line, for YAML).
absl::StatusOr<json> LoadDocument(absl::string_view text, Format format);

class Reader {
 public:
  explicit Reader(Format format) : yaml_(format == Format::kYaml) {}

  // `v` must be an object whose keys are all in `known`.
  absl::Status Object(const json& v, const std::string& path,
                      std::initializer_list<absl::string_view> known) const;
  // A missing or null member leaves *out as it is, unless `required`.
  absl::Status String(const json& obj, const char* key, const std::string& path,
                      std::string* out, bool required = false) const;
  absl::Status Int64(const json& obj, const char* key, const std::string& path,
                     int64_t* out) const;
  absl::Status Uint32(const json& obj, const char* key, const std::string& path,
                      std::optional<uint32_t>* out) const;
  absl::Status Int(const json& obj, const char* key, const std::string& path,
                   std::optional<int>* out) const;
  absl::Status Strings(const json& obj, const char* key, const std::string& path,
                       std::vector<std::string>* out) const;
  absl::Status Uint32s(const json& obj, const char* key, const std::string& path,
                       std::vector<uint32_t>* out) const;
  // Elements of an array member (empty when missing or null).
  absl::StatusOr<std::vector<const json*>> Array(const json& obj, const char* key,
                                                 const std::string& path) const;
  // A string-to-string object (annotations): checked, and its size returned.
  absl::StatusOr<size_t> StringMap(const json& obj, const char* key,
                                   const std::string& path) const;

 private:
  absl::StatusOr<int64_t> Integer(const json& v, const std::string& path, int64_t min,
                                  int64_t max) const;
  bool yaml_;
};

std::string Join(const std::string& path, absl::string_view key);
std::string Index(const std::string& path, size_t i);

}  // namespace cricket::pod::cdi::internal
