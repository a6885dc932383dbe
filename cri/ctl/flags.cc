// Flag parsing and per-command help (see flags.h).
#include "cri/ctl/flags.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cri/ctl/command.h"

namespace cricket::cri::ctl {
namespace {

const FlagDef* Find(const std::vector<FlagDef>& defs, std::string_view name, bool is_short) {
  for (const FlagDef& d : defs) {
    if (is_short ? name == d.short_name : name == d.name) return &d;
  }
  return nullptr;
}

absl::Status Unknown(std::string_view command, const std::string& flag) {
  return absl::InvalidArgumentError(absl::StrCat(std::string(command), ": unknown flag ", flag,
                                                 " (see cricketctl ", std::string(command),
                                                 " --help)"));
}

}  // namespace

std::string Flags::Get(const std::string& name, const std::string& fallback) const {
  auto range = values_.equal_range(name);
  if (range.first == range.second) return fallback;
  return std::prev(range.second)->second;
}

std::vector<std::string> Flags::GetAll(const std::string& name) const {
  std::vector<std::string> out;
  for (auto [it, end] = values_.equal_range(name); it != end; ++it) out.push_back(it->second);
  return out;
}

absl::StatusOr<int64_t> Flags::GetInt(const std::string& name, int64_t fallback) const {
  if (!Has(name)) return fallback;
  int64_t v = 0;
  if (!absl::SimpleAtoi(Get(name), &v)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", name, " ", Get(name), ": not an integer"));
  }
  return v;
}

bool FlagsEndAtFirstArg(std::string_view command) {
  return command == "run" || command == "exec" || command == "create";
}

absl::StatusOr<Flags> ParseFlags(std::string_view command, const std::vector<std::string>& args) {
  const std::vector<FlagDef>& defs = FlagsOf(command);
  const bool end_at_arg = FlagsEndAtFirstArg(command);
  Flags out;
  for (size_t i = 0; i < args.size(); i++) {
    const std::string& a = args[i];
    if (a == "--") {
      out.args.insert(out.args.end(), args.begin() + i + 1, args.end());
      break;
    }
    if (a.size() < 2 || a[0] != '-') {
      if (end_at_arg) {
        out.args.insert(out.args.end(), args.begin() + i, args.end());
        break;
      }
      out.args.push_back(a);
      continue;
    }
    bool is_long = a[1] == '-';
    std::string name = a.substr(is_long ? 2 : 1), value;
    bool has_value = false;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name.resize(eq);
      has_value = true;
    }
    const FlagDef* d = Find(defs, name, !is_long);
    // Go's flag package also takes "-name" for long flags.
    if (d == nullptr && !is_long) d = Find(defs, name, false);
    if (d == nullptr && !is_long && !has_value) {
      // Combined switches: "-aq".
      bool all = name.size() > 1;
      for (char c : name) {
        const FlagDef* s = Find(defs, std::string(1, c), true);
        all = all && s != nullptr && s->value == nullptr;
      }
      if (!all) return Unknown(command, a);
      for (char c : name) out.values_.emplace(Find(defs, std::string(1, c), true)->name, "true");
      continue;
    }
    if (d == nullptr) return Unknown(command, a);
    if (d->value == nullptr) {
      out.values_.emplace(d->name, has_value ? value : "true");
      continue;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat(std::string(command), ": flag ", a, " needs a value"));
      }
      value = args[++i];
    }
    out.values_.emplace(d->name, value);
  }
  return out;
}

std::string CommandHelp(std::string_view command) {
  std::string out;
  for (const Command& c : Commands()) {
    if (command != c.name) continue;
    out = absl::StrCat("usage: cricketctl ", c.name, " ", c.usage, "\n\n", c.summary, "\n");
  }
  const auto& defs = FlagsOf(command);
  if (defs.empty()) return out;
  out += "\nflags:\n";
  for (const FlagDef& d : defs) {
    std::string left = *d.short_name ? absl::StrCat("-", d.short_name, ", ") : "    ";
    absl::StrAppend(&left, "--", d.name);
    if (d.value != nullptr) absl::StrAppend(&left, " ", d.value);
    if (left.size() < 28) left.resize(28, ' ');
    absl::StrAppend(&out, "  ", left, " ", d.help, "\n");
  }
  return out;
}

}  // namespace cricket::cri::ctl
