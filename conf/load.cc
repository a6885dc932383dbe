// Load: the main file plus drop-ins, read, parsed with yaml-cpp and applied in
// order over the defaults. The only place yaml-cpp exceptions are caught.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "conf/config.h"
#include "conf/yaml_apply.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
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

// Parses `text` and applies it over `config`; `file` names it in messages.
absl::Status ApplyText(const std::string& text, const std::string& file, Config& config) {
  try {
    std::vector<YAML::Node> docs = YAML::LoadAll(text);
    if (docs.size() > 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          file, ":", docs[1].Mark().line + 1, ": only one YAML document per file is allowed"));
    }
    if (docs.empty()) return absl::OkStatus();
    return internal::ApplyDocument(docs[0], file, config);
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
