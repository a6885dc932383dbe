// runc-style flag parsing for cricket-oci's verbs.
#include "oci/cli/flags.h"

#include <cerrno>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace cricket::oci::cli {
namespace {

const FlagSpec* Find(const std::vector<FlagSpec>& specs, const std::string& name) {
  for (const FlagSpec& s : specs) {
    if (s.name == name || (name.size() == 1 && s.short_name == name[0])) return &s;
  }
  return nullptr;
}

}  // namespace

std::string Args::Get(const std::string& name, const std::string& def) const {
  auto it = values_.find(name);
  return it == values_.end() || it->second.empty() ? def : it->second.back();
}

std::vector<std::string> Args::All(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

absl::StatusOr<int64_t> Args::GetInt(const std::string& name, int64_t def) const {
  if (!Has(name)) return def;
  return ParseInt(name, Get(name));
}

absl::StatusOr<int64_t> ParseInt(const std::string& flag, const std::string& value) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0' || errno != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid value \"", value, "\" for flag --", flag, ": not an integer"));
  }
  return static_cast<int64_t>(v);
}

absl::StatusOr<Args> ParseFlags(const std::vector<FlagSpec>& specs,
                                const std::vector<std::string>& argv, bool stop_at_positional) {
  Args out;
  bool flags_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (flags_done || a.size() < 2 || a[0] != '-') {
      out.AddPositional(a);
      if (stop_at_positional) flags_done = true;
      continue;
    }
    if (a == "--") {
      flags_done = true;
      continue;
    }
    std::string body = a.substr(a[1] == '-' ? 2 : 1);
    std::string value;
    bool has_inline = false;
    if (size_t eq = body.find('='); eq != std::string::npos) {
      value = body.substr(eq + 1);
      body = body.substr(0, eq);
      has_inline = true;
    }
    const FlagSpec* spec = Find(specs, body);
    if (spec == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("flag provided but not defined: -", body));
    }
    if (!spec->takes_value) {
      out.Add(spec->name, has_inline ? value : "true");
      continue;
    }
    if (!has_inline) {
      if (i + 1 >= argv.size()) {
        return absl::InvalidArgumentError(absl::StrCat("flag needs an argument: -", body));
      }
      value = argv[++i];
    }
    out.Add(spec->name, value);
  }
  return out;
}

}  // namespace cricket::oci::cli
