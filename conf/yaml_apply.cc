// The visitor that walks the key tree (schema.h) against a YAML document,
// decoding each key it finds into the Config and refusing anything else.
#include "conf/yaml_apply.h"

#include <concepts>
#include <cstdint>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "conf/schema.h"

namespace cricket::conf::internal {
namespace {

std::string KindName(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Null:
      return "null";
    case YAML::NodeType::Scalar:
      return absl::StrCat(n.Tag() == "!" ? "the quoted string \"" : "\"", n.Scalar(), "\"");
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Map:
      return "a map";
    case YAML::NodeType::Undefined:
      break;
  }
  return "nothing";
}

// A plain scalar may be a number or a boolean; a quoted one ("8080") is a
// string, and the YAML spec says so too.
bool IsPlainScalar(const YAML::Node& n) { return n.IsScalar() && n.Tag() != "!"; }

class Applier {
 public:
  Applier(absl::string_view file, const YAML::Node& root) : file_(file) {
    stack_.push_back(Level{root, ""});
  }

  absl::Status Finish() {
    CheckKeys(stack_.back());
    return status_;
  }

  template <class T>
  void Field(absl::string_view key, T& value, const Rule& rule) {
    YAML::Node k, v;
    if (!Find(key, k, v)) return;
    Read(k.Mark(), v, ChildPath(stack_.back().path, key), value, rule);
  }

  template <class Body>
  void Section(absl::string_view key, Body body) {
    YAML::Node k, v;
    if (!Find(key, k, v) || v.IsNull()) return;
    std::string path = ChildPath(stack_.back().path, key);
    if (ExpectMap(k.Mark(), v, path)) Nested(v, path, body);
  }

  template <class M, class Body>
  void Map(absl::string_view key, M& map, const Rule& key_rule, Body body) {
    YAML::Node k, v;
    if (!Find(key, k, v) || v.IsNull()) return;
    std::string path = ChildPath(stack_.back().path, key);
    if (!ExpectMap(k.Mark(), v, path)) return;
    Level entries{v, path, /*open=*/true};
    if (!CheckKeys(entries)) return;
    for (const auto& kv : v) {
      std::string name = kv.first.Scalar();
      if (std::string why = Check(key_rule, name); !why.empty()) {
        return Fail(kv.first.Mark(), path, why);
      }
      auto& entry = map[name];  // a new entry starts from the defaults
      std::string entry_path = EntryPath(path, name);
      if (kv.second.IsNull()) continue;
      if (!ExpectMap(kv.first.Mark(), kv.second, entry_path)) return;
      Nested(kv.second, entry_path, [&] { body(entry); });
    }
  }

  template <class T, class Body>
  void List(absl::string_view key, std::vector<T>& list, Body body) {
    YAML::Node k, v;
    if (!Find(key, k, v)) return;
    std::string path = ChildPath(stack_.back().path, key);
    if (!v.IsNull() && !v.IsSequence()) {
      return Fail(k.Mark(), path, absl::StrCat("expected a list, got ", KindName(v)));
    }
    std::vector<T> items;  // a list in a later file replaces the earlier one whole
    for (size_t i = 0; i < v.size() && status_.ok(); ++i) {
      std::string item_path = ItemPath(path, i);
      T& item = items.emplace_back();
      if (ExpectMap(MarkOr(v[i], k.Mark()), v[i], item_path)) {
        Nested(v[i], item_path, [&] { body(item); });
      }
    }
    if (status_.ok()) list = std::move(items);
  }

 private:
  struct Level {
    YAML::Node node;
    std::string path;
    bool open = false;  // a map of named entries: any key is fine
    std::vector<absl::string_view> known = {};
  };

  static YAML::Mark MarkOr(const YAML::Node& n, const YAML::Mark& fallback) {
    return n.Mark().is_null() ? fallback : n.Mark();
  }

  void Fail(const YAML::Mark& mark, absl::string_view path, absl::string_view why) {
    if (!status_.ok()) return;
    std::string where = absl::StrCat(file_, ":", mark.is_null() ? 0 : mark.line + 1, ": ");
    if (!path.empty()) absl::StrAppend(&where, path, ": ");
    status_ = absl::InvalidArgumentError(absl::StrCat(where, why));
  }

  // Records `key` as known at this level and finds it in the document.
  bool Find(absl::string_view key, YAML::Node& k, YAML::Node& v) {
    Level& level = stack_.back();
    level.known.push_back(key);
    if (!status_.ok() || !level.node.IsMap()) return false;
    for (const auto& kv : level.node) {
      if (kv.first.IsScalar() && kv.first.Scalar() == key) {
        k = kv.first;
        v = kv.second;
        return true;
      }
    }
    return false;
  }

  bool ExpectMap(const YAML::Mark& mark, const YAML::Node& v, absl::string_view path) {
    if (v.IsMap()) return true;
    Fail(mark, path, absl::StrCat("expected a map, got ", KindName(v)));
    return false;
  }

  template <class Body>
  void Nested(const YAML::Node& node, const std::string& path, Body body) {
    stack_.push_back(Level{node, path});
    body();
    if (status_.ok()) CheckKeys(stack_.back());
    stack_.pop_back();
  }

  // Keys must be strings, appear once, and (unless the level is open) be known.
  bool CheckKeys(const Level& level) {
    if (!status_.ok() || !level.node.IsMap()) return status_.ok();
    std::set<std::string> seen;
    for (const auto& kv : level.node) {
      if (!kv.first.IsScalar()) {
        Fail(MarkOr(kv.first, level.node.Mark()), level.path, "keys must be plain strings");
      } else if (!seen.insert(kv.first.Scalar()).second) {
        Fail(kv.first.Mark(), ChildPath(level.path, kv.first.Scalar()), "duplicate key");
      } else if (!level.open && std::find(level.known.begin(), level.known.end(),
                                          kv.first.Scalar()) == level.known.end()) {
        Fail(kv.first.Mark(), ChildPath(level.path, kv.first.Scalar()),
             absl::StrCat("unknown key (expected one of ", absl::StrJoin(level.known, ", "), ")"));
      }
      if (!status_.ok()) return false;
    }
    return true;
  }

  void Read(const YAML::Mark& mark, const YAML::Node& v, const std::string& path, std::string& out,
            const Rule& rule) {
    std::string value;  // null ("key:" with no value) reads as ""
    if (!v.IsNull() && !v.IsScalar()) {
      return Fail(mark, path, absl::StrCat("expected a string, got ", KindName(v)));
    }
    if (v.IsScalar()) value = v.Scalar();
    if (std::string why = Check(rule, value); !why.empty()) return Fail(mark, path, why);
    out = std::move(value);
  }

  void Read(const YAML::Mark& mark, const YAML::Node& v, const std::string& path, bool& out,
            const Rule&) {
    if (!IsPlainScalar(v) || !YAML::convert<bool>::decode(v, out)) {
      Fail(mark, path, absl::StrCat("expected true or false, got ", KindName(v)));
    }
  }

  template <std::integral Int>
  void Read(const YAML::Mark& mark, const YAML::Node& v, const std::string& path, Int& out,
            const Rule& rule) {
    int64_t value = 0;
    if (!IsPlainScalar(v) || !absl::SimpleAtoi(v.Scalar(), &value)) {
      return Fail(mark, path, absl::StrCat("expected an integer, got ", KindName(v)));
    }
    std::string why = Check(rule, value);
    if (why.empty() &&
        (value < std::numeric_limits<Int>::min() || value > std::numeric_limits<Int>::max())) {
      why = absl::StrCat(value, " does not fit in ", sizeof(Int) * 8, " bits");
    }
    if (!why.empty()) return Fail(mark, path, why);
    out = static_cast<Int>(value);
  }

  void Read(const YAML::Mark& mark, const YAML::Node& v, const std::string& path,
            std::vector<std::string>& out, const Rule& rule) {
    if (!v.IsNull() && !v.IsSequence()) {
      return Fail(mark, path, absl::StrCat("expected a list of strings, got ", KindName(v)));
    }
    std::vector<std::string> items(v.size());
    for (size_t i = 0; i < v.size() && status_.ok(); ++i) {
      Read(MarkOr(v[i], mark), v[i], ItemPath(path, i), items[i], rule);
    }
    if (status_.ok()) out = std::move(items);
  }

  std::string file_;
  std::vector<Level> stack_;
  absl::Status status_;
};

}  // namespace

absl::Status ApplyDocument(const YAML::Node& doc, absl::string_view file, Config& config) {
  if (doc.IsNull()) return absl::OkStatus();  // an empty file changes nothing
  if (!doc.IsMap()) {
    return absl::InvalidArgumentError(absl::StrCat(file, ":", doc.Mark().line + 1,
                                                   ": expected a map of keys at the top, got ",
                                                   KindName(doc)));
  }
  Applier applier(file, doc);
  WalkConfig(applier, config);
  return applier.Finish();
}

}  // namespace cricket::conf::internal
