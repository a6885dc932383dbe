#include "pod/cdi/doc.h"

#include <charconv>
#include <limits>

#include "absl/strings/str_cat.h"
#include "yaml-cpp/yaml.h"

namespace cricket::pod::cdi::internal {
namespace {

// yaml-cpp refuses deeper documents itself; this bounds our own recursion
// well below the stack for any document it accepts.
constexpr int kMaxDepth = 64;

absl::StatusOr<json> FromYaml(const YAML::Node& n, int depth) {
  if (depth > kMaxDepth) return absl::InvalidArgumentError("nested too deeply");
  switch (n.Type()) {
    case YAML::NodeType::Map: {
      json obj = json::object();
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) return absl::InvalidArgumentError("a map key is not a scalar");
        absl::StatusOr<json> v = FromYaml(kv.second, depth + 1);
        if (!v.ok()) return v.status();
        obj[kv.first.Scalar()] = *std::move(v);
      }
      return obj;
    }
    case YAML::NodeType::Sequence: {
      json arr = json::array();
      for (const auto& e : n) {
        absl::StatusOr<json> v = FromYaml(e, depth + 1);
        if (!v.ok()) return v.status();
        arr.push_back(*std::move(v));
      }
      return arr;
    }
    case YAML::NodeType::Scalar: {
      const std::string& s = n.Scalar();
      bool plain = n.Tag() == "?";  // quoted scalars carry "!"
      if (plain && (s == "~" || s == "null" || s == "Null" || s == "NULL")) return json();
      return json(s);
    }
    default:
      return json();
  }
}

}  // namespace

absl::StatusOr<json> LoadDocument(absl::string_view text, Format format) {
  if (format == Format::kJson) {
    json doc = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
    if (doc.is_discarded()) return absl::InvalidArgumentError("not valid JSON");
    return doc;
  }
  YAML::Node root;
  try {
    root = YAML::Load(std::string(text));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat("not valid YAML: line ", e.mark.line + 1, ": ", e.msg));
  }
  return FromYaml(root, 0);
}

std::string Join(const std::string& path, absl::string_view key) {
  return path.empty() ? std::string(key) : absl::StrCat(path, ".", key);
}
std::string Index(const std::string& path, size_t i) { return absl::StrCat(path, "[", i, "]"); }

namespace {
absl::Status Bad(const std::string& path, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": must be ", what));
}
const json* Member(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() || it->is_null() ? nullptr : &*it;
}
}  // namespace

absl::Status Reader::Object(const json& v, const std::string& path,
                            std::initializer_list<absl::string_view> known) const {
  if (!v.is_object()) return Bad(path.empty() ? "document" : path, "an object");
  for (const auto& [key, value] : v.items()) {
    bool ok = false;
    for (absl::string_view k : known) ok = ok || k == key;
    if (!ok) return absl::InvalidArgumentError(absl::StrCat(Join(path, key), ": unknown field"));
  }
  return absl::OkStatus();
}

absl::Status Reader::String(const json& obj, const char* key, const std::string& path,
                            std::string* out, bool required) const {
  const json* v = Member(obj, key);
  if (v == nullptr) {
    return required ? absl::InvalidArgumentError(absl::StrCat(Join(path, key), ": is required"))
                    : absl::OkStatus();
  }
  if (!v->is_string()) return Bad(Join(path, key), "a string");
  *out = v->get<std::string>();
  if (required && out->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(Join(path, key), ": is required"));
  }
  return absl::OkStatus();
}

absl::StatusOr<int64_t> Reader::Integer(const json& v, const std::string& path, int64_t min,
                                        int64_t max) const {
  std::string what = absl::StrCat("an integer in [", min, ", ", max, "]");
  int64_t x = 0;
  if (yaml_ && v.is_string()) {
    // YAML 1.1 and 1.2 integer forms: 438, -1, 0666, 0o666, 0x1b6.
    std::string s = v.get<std::string>();
    int base = 10;
    size_t skip = 0;
    if (s.rfind("0o", 0) == 0 || s.rfind("0x", 0) == 0) {
      base = s[1] == 'o' ? 8 : 16;
      skip = 2;
    } else if (s.size() > 1 && s[0] == '0') {
      base = 8;
      skip = 1;
    }
    const char* end = s.data() + s.size();
    auto [ptr, ec] = std::from_chars(s.data() + skip, end, x, base);
    bool ok = s.size() > skip && ec == std::errc() && ptr == end;
    if (!ok) return Bad(path, what);
  } else if (v.is_number_unsigned()) {
    uint64_t u = v.get<uint64_t>();
    if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return Bad(path, what);
    x = static_cast<int64_t>(u);
  } else if (v.is_number_integer()) {
    x = v.get<int64_t>();
  } else {
    return Bad(path, what);
  }
  if (x < min || x > max) return Bad(path, what);
  return x;
}

absl::Status Reader::Int64(const json& obj, const char* key, const std::string& path,
                           int64_t* out) const {
  const json* v = Member(obj, key);
  if (v == nullptr) return absl::OkStatus();
  absl::StatusOr<int64_t> x = Integer(*v, Join(path, key), std::numeric_limits<int64_t>::min(),
                                      std::numeric_limits<int64_t>::max());
  if (!x.ok()) return x.status();
  *out = *x;
  return absl::OkStatus();
}

absl::Status Reader::Uint32(const json& obj, const char* key, const std::string& path,
                            std::optional<uint32_t>* out) const {
  const json* v = Member(obj, key);
  if (v == nullptr) return absl::OkStatus();
  absl::StatusOr<int64_t> x = Integer(*v, Join(path, key), 0, UINT32_MAX);
  if (!x.ok()) return x.status();
  *out = static_cast<uint32_t>(*x);
  return absl::OkStatus();
}

absl::Status Reader::Int(const json& obj, const char* key, const std::string& path,
                         std::optional<int>* out) const {
  const json* v = Member(obj, key);
  if (v == nullptr) return absl::OkStatus();
  absl::StatusOr<int64_t> x = Integer(*v, Join(path, key), INT32_MIN, INT32_MAX);
  if (!x.ok()) return x.status();
  *out = static_cast<int>(*x);
  return absl::OkStatus();
}

absl::StatusOr<std::vector<const json*>> Reader::Array(const json& obj, const char* key,
                                                       const std::string& path) const {
  std::vector<const json*> out;
  const json* v = Member(obj, key);
  if (v == nullptr) return out;
  if (!v->is_array()) return Bad(Join(path, key), "an array");
  for (const json& e : *v) out.push_back(&e);
  return out;
}

absl::Status Reader::Strings(const json& obj, const char* key, const std::string& path,
                             std::vector<std::string>* out) const {
  absl::StatusOr<std::vector<const json*>> items = Array(obj, key, path);
  if (!items.ok()) return items.status();
  for (size_t i = 0; i < items->size(); i++) {
    if (!(*items)[i]->is_string()) return Bad(Index(Join(path, key), i), "a string");
    out->push_back((*items)[i]->get<std::string>());
  }
  return absl::OkStatus();
}

absl::Status Reader::Uint32s(const json& obj, const char* key, const std::string& path,
                             std::vector<uint32_t>* out) const {
  absl::StatusOr<std::vector<const json*>> items = Array(obj, key, path);
  if (!items.ok()) return items.status();
  for (size_t i = 0; i < items->size(); i++) {
    absl::StatusOr<int64_t> x = Integer(*(*items)[i], Index(Join(path, key), i), 0, UINT32_MAX);
    if (!x.ok()) return x.status();
    out->push_back(static_cast<uint32_t>(*x));
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> Reader::StringMap(const json& obj, const char* key,
                                         const std::string& path) const {
  const json* v = Member(obj, key);
  if (v == nullptr) return 0;
  if (!v->is_object()) return Bad(Join(path, key), "an object of strings");
  for (const auto& [k, value] : v->items()) {
    if (!value.is_string()) return Bad(Join(Join(path, key), k), "a string");
  }
  return v->size();
}

}  // namespace cricket::pod::cdi::internal
