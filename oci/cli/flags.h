// Command-line flags in runc's (urfave/cli) style: `--name value`,
// `--name=value`, `-n value`, boolean switches, repeatable flags, and `--`.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::oci::cli {

struct FlagSpec {
  std::string name;        // long name without dashes: "bundle"
  char short_name = 0;     // 'b', or 0
  bool takes_value = false;
};

class Args {
 public:
  bool Has(const std::string& name) const { return values_.count(name) > 0; }
  // The last value given (runc's behaviour for single-valued flags).
  std::string Get(const std::string& name, const std::string& def = "") const;
  std::vector<std::string> All(const std::string& name) const;
  absl::StatusOr<int64_t> GetInt(const std::string& name, int64_t def) const;
  const std::vector<std::string>& positional() const { return positional_; }

  void Add(const std::string& name, const std::string& value) { values_[name].push_back(value); }
  void AddPositional(const std::string& p) { positional_.push_back(p); }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// Parses argv against `specs`. With `stop_at_positional`, everything from the
// first positional argument on is positional (exec's command, ps's options);
// otherwise flags and positionals may be interleaved. Unknown flags are
// InvalidArgument naming the flag.
absl::StatusOr<Args> ParseFlags(const std::vector<FlagSpec>& specs,
                                const std::vector<std::string>& argv, bool stop_at_positional);

// Parses an integer flag value ("flag --x: ... is not an integer" on error).
absl::StatusOr<int64_t> ParseInt(const std::string& flag, const std::string& value);

}  // namespace cricket::oci::cli
