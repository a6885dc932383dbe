// The runc-oracle fixture's message extraction (see oracle_helpers.h).
#include "tests/integration/oci/oracle_helpers.h"

#include <regex>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"

namespace cricket::testing {
namespace {

// A Go/JSON-quoted string's value (\" and \\ are all runc's messages use).
std::string Unquote(const std::string& q) {
  std::string out;
  for (size_t i = 0; i < q.size(); i++) {
    if (q[i] == '\\' && i + 1 < q.size()) i++;
    out += q[i];
  }
  return out;
}

}  // namespace

std::string RuntimeMessage(const std::string& err, const std::string& level) {
  static const std::regex kLogLine(R"re(level=(\w+) msg="((?:[^"\\]|\\.)*)")re");
  static const std::regex kRuncFailed(R"(^runc \w+ failed: )");
  static const std::regex kCricketError(R"(^cricket-oci: (?:\w+: )?)");
  std::string last;
  for (absl::string_view line : absl::StrSplit(err, '\n')) {
    std::string l(line);
    std::smatch m;
    if (std::regex_search(l, m, kLogLine) && absl::StartsWith(m[1].str(), level)) {
      last = std::regex_replace(Unquote(m[2].str()), kRuncFailed, "");
    } else if (level == "error" && std::regex_search(l, m, kCricketError)) {
      last = m.suffix().str();
    }
  }
  return last;
}

}  // namespace cricket::testing
