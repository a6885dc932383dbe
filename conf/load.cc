// Load: the main file plus drop-ins, read, parsed with yaml-cpp and applied in
// order over the defaults. The only place yaml-cpp exceptions are caught.
#include <algorithm>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "conf/config.h"
#include "conf/yaml_apply.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "yaml-cpp/eventhandler.h"
#include "yaml-cpp/yaml.h"

namespace cricket::conf {
namespace {

// Drop-ins: regular files (or links to them) named *.yaml, hidden files
// (editor leftovers) skipped, in byte order of name. A missing dir is fine.
absl::StatusOr<std::vector<std::string>> ListDropIns(const std::string& dir) {
  std::vector<std::string> paths;
  if (dir.empty()) return paths;
  absl::StatusOr<std::vector<std::string>> names = sys::ListDir(dir);
  if (absl::IsNotFound(names.status())) return paths;
  if (!names.ok()) return sys::Annotate(names.status(), "list config dir %s", dir);
  std::sort(names->begin(), names->end());
  for (const std::string& name : *names) {
    std::string path = absl::StrCat(dir, "/", name);
    std::error_code ec;
    if (absl::StartsWith(name, ".") || !absl::EndsWith(name, ".yaml") ||
        !std::filesystem::is_regular_file(path, ec)) {
      continue;
    }
    paths.push_back(std::move(path));
  }
  return paths;
}

// Records where each document's first node is. Parsing only events is how
// the loader counts documents: yaml-cpp 0.7's LoadAll never returns on some
// invalid input (a lone ",": the parser reports a null document without
// consuming the token, forever, allocating as it goes; jbeder/yaml-cpp#1040,
// fixed upstream in #1319), so documents are counted here with a bound.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::vector<YAML::Mark> starts;
  void OnDocumentStart(const YAML::Mark&) override { in_node_ = false; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& m, YAML::anchor_t) override { Node(m); }
  void OnAlias(const YAML::Mark& m, YAML::anchor_t) override { Node(m); }
  void OnScalar(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                const std::string&) override {
    Node(m);
  }
  void OnSequenceStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Node(m);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& m, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {
    Node(m);
  }
  void OnMapEnd() override {}

 private:
  void Node(const YAML::Mark& m) {
    if (!in_node_) starts.push_back(m);
    in_node_ = true;
  }
  bool in_node_ = false;
};

// At most one document; throws YAML::Exception on a syntax error.
absl::Status CheckOneDocument(const std::string& text, const std::string& file) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStarts events;
  for (int n = 0; n < 2 && parser.HandleNextDocument(events); ++n) {
  }
  if (events.starts.size() < 2) return absl::OkStatus();
  const YAML::Mark& second = events.starts[1];
  if (second.pos == events.starts[0].pos) {  // no progress: the stuck parser above
    return absl::InvalidArgumentError(absl::StrCat(file, ":", second.line + 1,
                                                   ": invalid YAML: unexpected token (column ",
                                                   second.column + 1, ")"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat(file, ":", second.line + 1, ": only one YAML document per file is allowed"));
}

// Parses `text` and applies it over `config`; `file` names it in messages.
absl::Status ApplyText(const std::string& text, const std::string& file, Config& config) {
  try {
    RETURN_IF_ERROR(CheckOneDocument(text, file));
    return internal::ApplyDocument(YAML::Load(text), file, config);
  } catch (const YAML::Exception& e) {
    // Parser errors carry a 0-based mark; an exception without one gets line 0.
    int line = e.mark.is_null() ? 0 : e.mark.line + 1;
    return absl::InvalidArgumentError(
        absl::StrCat(file, ":", line, ": invalid YAML: ", e.msg,
                     e.mark.is_null() ? "" : absl::StrCat(" (column ", e.mark.column + 1, ")")));
  }
}

absl::Status ApplyFile(const std::string& path, bool must_exist, Config& config) {
  absl::StatusOr<std::string> text = sys::ReadFile(path);
  if (absl::IsNotFound(text.status()) && !must_exist) return absl::OkStatus();
  if (!text.ok()) return sys::Annotate(text.status(), "config file");
  return ApplyText(*text, path, config);
}

absl::Status CheckValid(const Config& config) {
  return sys::Annotate(Validate(config), "invalid configuration");
}

}  // namespace

absl::StatusOr<Config> Load(const LoadOptions& options) {
  Config config;
  RETURN_IF_ERROR(ApplyFile(options.config_file, options.explicit_file, config));
  ASSIGN_OR_RETURN(std::vector<std::string> drop_ins, ListDropIns(options.config_dir));
  for (const std::string& path : drop_ins) {
    // A drop-in deleted between listing and reading is skipped like a missing one.
    RETURN_IF_ERROR(ApplyFile(path, /*must_exist=*/false, config));
  }
  RETURN_IF_ERROR(CheckValid(config));
  return config;
}

absl::StatusOr<Config> LoadFromString(std::string_view yaml, std::string_view name) {
  Config config;
  RETURN_IF_ERROR(ApplyText(std::string(yaml), std::string(name), config));
  RETURN_IF_ERROR(CheckValid(config));
  return config;
}

}  // namespace cricket::conf
