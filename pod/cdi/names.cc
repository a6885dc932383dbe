#include "pod/cdi/names.h"

#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cricket::pod::cdi {
namespace {

// `what` names the part in messages; `first_digit` allows a leading digit;
// `extra` lists the punctuation allowed between the first and last character.
absl::Status CheckPart(absl::string_view what, absl::string_view s, bool first_digit,
                       absl::string_view extra) {
  if (s.empty()) return absl::InvalidArgumentError(absl::StrCat("empty ", what));
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("invalid ", what, " \"", s, "\": ", why));
  };
  char first = s.front();
  if (!(absl::ascii_isalpha(first) || (first_digit && absl::ascii_isdigit(first)))) {
    return bad(first_digit ? "must start with a letter or digit" : "must start with a letter");
  }
  if (!absl::ascii_isalnum(s.back())) return bad("must end with a letter or digit");
  for (char c : s) {
    if (!absl::ascii_isalnum(c) && extra.find(c) == absl::string_view::npos) {
      return bad(absl::StrCat("character '", std::string(1, c), "' is not allowed"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateVendor(absl::string_view vendor) {
  return CheckPart("vendor", vendor, false, "-_.");
}
absl::Status ValidateClass(absl::string_view cls) { return CheckPart("class", cls, false, "-_."); }
absl::Status ValidateDeviceName(absl::string_view name) {
  return CheckPart("device name", name, true, "-_.:");
}

absl::Status ValidateKind(absl::string_view kind) {
  size_t slash = kind.find('/');
  if (slash == absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid kind \"", kind, "\": must be vendor/class"));
  }
  absl::Status st = ValidateVendor(kind.substr(0, slash));
  if (st.ok()) st = ValidateClass(kind.substr(slash + 1));
  return st;
}

absl::StatusOr<QualifiedName> ParseQualifiedName(absl::string_view qualified) {
  size_t slash = qualified.find('/');
  size_t eq = qualified.find('=');
  if (slash == absl::string_view::npos || eq == absl::string_view::npos || eq < slash) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid CDI device name \"", qualified, "\": must be vendor.com/class=name"));
  }
  QualifiedName q{std::string(qualified.substr(0, slash)),
                  std::string(qualified.substr(slash + 1, eq - slash - 1)),
                  std::string(qualified.substr(eq + 1))};
  absl::Status st = ValidateVendor(q.vendor);
  if (st.ok()) st = ValidateClass(q.cls);
  if (st.ok()) st = ValidateDeviceName(q.name);
  if (!st.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid CDI device name \"", qualified, "\": ", st.message()));
  }
  return q;
}

absl::StatusOr<std::vector<QualifiedName>> RequestedDevices(
    const runtime::v1::ContainerConfig& config) {
  std::vector<QualifiedName> out;
  std::set<std::string> seen;
  auto add = [&](absl::string_view name, const std::string& from) -> absl::Status {
    absl::StatusOr<QualifiedName> q = ParseQualifiedName(name);
    if (!q.ok()) return absl::InvalidArgumentError(absl::StrCat(from, ": ", q.status().message()));
    if (seen.insert(q->str()).second) out.push_back(*std::move(q));
    return absl::OkStatus();
  };
  for (int i = 0; i < config.cdi_devices_size(); i++) {
    absl::Status st = add(config.cdi_devices(i).name(), absl::StrCat("CDI_devices[", i, "]"));
    if (!st.ok()) return st;
  }
  // A map, so the order is the keys' (std::map): the same on every retry.
  std::map<std::string, std::string> annotations(config.annotations().begin(),
                                                 config.annotations().end());
  for (const auto& [key, value] : annotations) {
    if (!absl::StartsWith(key, kAnnotationPrefix)) continue;
    for (absl::string_view part : absl::StrSplit(value, ',')) {
      absl::Status st = add(absl::StripAsciiWhitespace(part), absl::StrCat("annotation ", key));
      if (!st.ok()) return st;
    }
  }
  return out;
}

}  // namespace cricket::pod::cdi
