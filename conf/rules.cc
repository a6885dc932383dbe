// The value rules of the key tree (schema.h): each says why a value is wrong,
// in words an operator can act on, or nothing when it is fine.
#include <arpa/inet.h>

#include <algorithm>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "conf/schema.h"
#include "oci/sys/capability_names.h"

namespace cricket::conf::internal {
namespace {

bool Contains(std::span<const absl::string_view> set, absl::string_view v) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

std::string Quoted(absl::string_view v) { return absl::StrCat("\"", v, "\""); }

bool HasSpace(absl::string_view v) {
  return std::any_of(v.begin(), v.end(), [](char c) { return absl::ascii_isspace(c); });
}

// "host" or "host:port"; bracketed IPv6 literals ("[::1]:5000") allowed.
std::string CheckHostPort(absl::string_view v) {
  const std::string why = absl::StrCat(Quoted(v), " is not a registry host (write host or ",
                                       "host:port, without scheme or path)");
  if (v.empty() || HasSpace(v) || absl::StrContains(v, "/")) return why;
  size_t colon = v.rfind(':');
  if (colon == absl::string_view::npos || absl::EndsWith(v, "]")) return "";
  int port = 0;
  if (colon == 0 || !absl::SimpleAtoi(v.substr(colon + 1), &port) || port < 1 || port > 65535) {
    return why;
  }
  return "";
}

std::string CheckEndpoint(absl::string_view v) {
  size_t scheme_end = v.find("://");
  if (scheme_end == absl::string_view::npos) return CheckHostPort(v);
  absl::string_view scheme = v.substr(0, scheme_end);
  if (scheme != "http" && scheme != "https") {
    return absl::StrCat(Quoted(v), " has scheme ", Quoted(scheme), "; use http or https");
  }
  absl::string_view rest = v.substr(scheme_end + 3);
  return CheckHostPort(rest.substr(0, rest.find('/')));
}

std::string CheckIpAddress(const std::string& v) {
  unsigned char buf[sizeof(struct in6_addr)];
  if (inet_pton(AF_INET, v.c_str(), buf) == 1 || inet_pton(AF_INET6, v.c_str(), buf) == 1) {
    return "";
  }
  return absl::StrCat(Quoted(v), " is not an IPv4 or IPv6 address");
}

// The CRI's spelling is the kernel's without CAP_: "NET_ADMIN".
std::string CheckCapability(absl::string_view v) {
  for (std::string_view name : sys::kCapabilityNames) {
    if (name.substr(4) == std::string_view(v.data(), v.size())) return "";
  }
  if (absl::StartsWithIgnoreCase(v, "CAP_")) {
    return absl::StrCat(Quoted(v),
                        ": write capabilities without the CAP_ prefix, as the CRI does (",
                        v.substr(4), ")");
  }
  return absl::StrCat(Quoted(v), " is not a Linux capability");
}

// Pinned images: CRI-O's three forms. A "*" anywhere else would read as a
// glob that matches nothing the operator meant, so it is refused.
std::string CheckImagePattern(absl::string_view v) {
  absl::string_view inner = v;
  if (absl::StartsWith(inner, "*")) inner.remove_prefix(1);
  if (absl::EndsWith(inner, "*")) inner.remove_suffix(1);
  if (inner.empty() || HasSpace(v)) {
    return absl::StrCat(Quoted(v), " is not an image name or pattern");
  }
  if (absl::StrContains(inner, "*") || (absl::StartsWith(v, "*") && !absl::EndsWith(v, "*"))) {
    return absl::StrCat(Quoted(v), ": \"*\" may only end a prefix (\"quay.io/infra/*\") or ",
                        "enclose a keyword (\"*pause*\")");
  }
  return "";
}

}  // namespace

std::string Check(const Rule& rule, const std::string& value) {
  switch (rule.kind) {
    case Rule::kAbsPathOrEmpty:
      if (value.empty()) return "";
      [[fallthrough]];
    case Rule::kAbsPath:
      if (!absl::StartsWith(value, "/"))
        return absl::StrCat(Quoted(value), " is not an absolute path");
      return "";
    case Rule::kOneOf:
      if (Contains(rule.choices, value)) return "";
      return absl::StrCat(Quoted(value), " is not one of ", absl::StrJoin(rule.choices, ", "));
    case Rule::kCapability:
      return CheckCapability(value);
    case Rule::kHost:
      return CheckHostPort(value);
    case Rule::kEndpoint:
      return CheckEndpoint(value);
    case Rule::kIpAddress:
      return CheckIpAddress(value);
    case Rule::kImagePattern:
      return CheckImagePattern(value);
    case Rule::kAny:
    case Rule::kRange:
      return "";
  }
  return "";
}

std::string Check(const Rule& rule, int64_t value) {
  if (rule.kind != Rule::kRange || (value >= rule.min && value <= rule.max)) return "";
  if (rule.max == INT64_MAX) return absl::StrCat(value, " is below the minimum ", rule.min);
  return absl::StrCat(value, " is out of range ", rule.min, "..", rule.max);
}

std::string ChildPath(absl::string_view parent, absl::string_view key) {
  return parent.empty() ? std::string(key) : absl::StrCat(parent, ".", key);
}

std::string EntryPath(absl::string_view parent, absl::string_view key) {
  return absl::StrCat(parent, "[\"", key, "\"]");
}

std::string ItemPath(absl::string_view parent, size_t index) {
  return absl::StrCat(parent, "[", index, "]");
}

}  // namespace cricket::conf::internal
