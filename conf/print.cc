// ToYaml and ToJson: the effective configuration as `cricketd config` shows
// it. Both walk the key tree, so they print exactly the keys Load reads.
#include <string>
#include <vector>

#include "conf/config.h"
#include "conf/schema.h"
#include "nlohmann/json.hpp"
#include "yaml-cpp/yaml.h"

namespace cricket::conf {
namespace {

using internal::Rule;

class YamlPrinter {
 public:
  explicit YamlPrinter(YAML::Emitter& out) : out_(out) {}

  template <class T>
  void Field(absl::string_view key, const T& value, const Rule&) {
    out_ << YAML::Key << std::string(key) << YAML::Value;
    Emit(value);
  }
  template <class Body>
  void Section(absl::string_view key, Body body) {
    out_ << YAML::Key << std::string(key) << YAML::Value << YAML::BeginMap;
    body();
    out_ << YAML::EndMap;
  }
  template <class M, class Body>
  void Map(absl::string_view key, const M& map, const Rule&, Body body) {
    out_ << YAML::Key << std::string(key) << YAML::Value;
    if (map.empty()) out_ << YAML::Flow;  // "hosts: {}" rather than a dangling "{}" line
    out_ << YAML::BeginMap;
    for (const auto& [name, entry] : map) {
      out_ << YAML::Key << name << YAML::Value << YAML::BeginMap;
      body(entry);
      out_ << YAML::EndMap;
    }
    out_ << YAML::EndMap;
  }
  template <class T, class Body>
  void List(absl::string_view key, const std::vector<T>& list, Body body) {
    out_ << YAML::Key << std::string(key) << YAML::Value;
    if (list.empty()) out_ << YAML::Flow;
    out_ << YAML::BeginSeq;
    for (const T& item : list) {
      out_ << YAML::BeginMap;
      body(item);
      out_ << YAML::EndMap;
    }
    out_ << YAML::EndSeq;
  }

 private:
  // Strings are always quoted: an unquoted "true" or "8080" would read back
  // as another type to a human, though Load would take it as a string.
  void Emit(const std::string& v) { out_ << YAML::DoubleQuoted << v; }
  void Emit(bool v) { out_ << v; }
  void Emit(int64_t v) { out_ << v; }
  void Emit(int v) { out_ << v; }
  void Emit(const std::vector<std::string>& v) {
    if (v.empty()) out_ << YAML::Flow;
    out_ << YAML::BeginSeq;
    for (const std::string& s : v) Emit(s);
    out_ << YAML::EndSeq;
  }

  YAML::Emitter& out_;
};

class JsonPrinter {
 public:
  explicit JsonPrinter(nlohmann::json& root) : cur_(&root) {}

  template <class T>
  void Field(absl::string_view key, const T& value, const Rule&) {
    (*cur_)[std::string(key)] = value;
  }
  template <class Body>
  void Section(absl::string_view key, Body body) {
    Enter((*cur_)[std::string(key)], body);
  }
  template <class M, class Body>
  void Map(absl::string_view key, const M& map, const Rule&, Body body) {
    nlohmann::json& obj = (*cur_)[std::string(key)] = nlohmann::json::object();
    // Not a structured binding: clang 14 (the fuzz and sanitizer builds)
    // cannot capture one in a lambda.
    for (const auto& kv : map) Enter(obj[kv.first], [&] { body(kv.second); });
  }
  template <class T, class Body>
  void List(absl::string_view key, const std::vector<T>& list, Body body) {
    nlohmann::json& arr = (*cur_)[std::string(key)] = nlohmann::json::array();
    for (const T& item : list) Enter(arr.emplace_back(), [&] { body(item); });
  }

 private:
  template <class Body>
  void Enter(nlohmann::json& obj, Body body) {
    obj = nlohmann::json::object();
    nlohmann::json* saved = cur_;
    cur_ = &obj;
    body();
    cur_ = saved;
  }

  nlohmann::json* cur_;
};

}  // namespace

std::string ToYaml(const Config& config) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  YamlPrinter printer(out);
  internal::WalkConfig(printer, config);
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

nlohmann::json ToJson(const Config& config) {
  nlohmann::json root = nlohmann::json::object();
  JsonPrinter printer(root);
  internal::WalkConfig(printer, config);
  return root;
}

}  // namespace cricket::conf
