// Per-command flags: one table (cmd_flags.cc) drives both parsing and
// `cricketctl COMMAND --help`. Flags and arguments may be interleaved; "--"
// ends the flags. "--name=value", "--name value" and "-n value" all work.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::cri::ctl {

struct FlagDef {
  const char* name;        // long name without dashes: "latest"
  const char* short_name;  // one letter without the dash, or ""
  const char* value;       // the value's placeholder ("N", "FORMAT"), or nullptr for a switch
  const char* help;
};

class Flags {
 public:
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  // A switch that is set and not "--name=false".
  bool On(const std::string& name) const { return Has(name) && Get(name) != "false"; }
  // The last value given, or `fallback`.
  std::string Get(const std::string& name, const std::string& fallback = "") const;
  std::vector<std::string> GetAll(const std::string& name) const;
  // InvalidArgument naming the flag when the value is not an integer.
  absl::StatusOr<int64_t> GetInt(const std::string& name, int64_t fallback) const;

  std::vector<std::string> args;  // the positional arguments, in order

 private:
  friend absl::StatusOr<Flags> ParseFlags(std::string_view, const std::vector<std::string>&);
  std::multimap<std::string, std::string> values_;
};

// The flags `command` takes (empty for a command without a table).
const std::vector<FlagDef>& FlagsOf(std::string_view command);

// Commands whose first argument ends the flags: what follows belongs to the
// process they start (run IMAGE CMD..., exec CONTAINER CMD...).
bool FlagsEndAtFirstArg(std::string_view command);

// Parses `args` against FlagsOf(command). A switch's value is "true" (or
// what "--switch=false" says). InvalidArgument on an unknown flag.
absl::StatusOr<Flags> ParseFlags(std::string_view command, const std::vector<std::string>& args);

// "usage: ..., the summary and the flag list, for `cricketctl COMMAND --help`.
std::string CommandHelp(std::string_view command);

}  // namespace cricket::cri::ctl
