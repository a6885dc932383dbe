// Docker's reference grammar (distribution/reference): domain, path, tag and
// digest, with docker.io normalisation. Errors name the reference and why.
#include "image/reference.h"

#include <cctype>

#include "absl/strings/str_cat.h"
#include "image/digest.h"

namespace cricket::image {
namespace {

constexpr size_t kMaxNameLength = 255;  // distribution's NameTotalLengthMax
constexpr size_t kMaxTagLength = 128;

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [_.] | __ | [-]+
bool ValidPathComponent(std::string_view c) {
  if (c.empty() || !IsLowerAlnum(c.front()) || !IsLowerAlnum(c.back())) return false;
  for (size_t i = 0; i < c.size();) {
    if (IsLowerAlnum(c[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < c.size() && !IsLowerAlnum(c[j])) ++j;
    std::string_view sep = c.substr(i, j - i);
    bool dashes = sep.find_first_not_of('-') == std::string_view::npos;
    if (!(sep == "_" || sep == "." || sep == "__" || dashes)) return false;
    i = j;
  }
  return true;
}

bool ValidPort(std::string_view p) {
  if (p.empty() || p.size() > 5) return false;
  for (char c : p) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// host := domain-name | IPv4 | "[" IPv6 "]", then an optional ":port".
bool ValidDomain(std::string_view d) {
  std::string_view host = d;
  if (!d.empty() && d.front() == '[') {
    size_t close = d.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    for (char c : d.substr(1, close - 1)) {
      if (!(std::isxdigit(static_cast<unsigned char>(c)) || c == ':' || c == '.')) return false;
    }
    std::string_view rest = d.substr(close + 1);
    return rest.empty() || (rest.front() == ':' && ValidPort(rest.substr(1)));
  }
  size_t colon = d.find(':');
  if (colon != std::string_view::npos) {
    if (!ValidPort(d.substr(colon + 1))) return false;
    host = d.substr(0, colon);
  }
  if (host.empty()) return false;
  size_t i = 0;
  while (i <= host.size()) {
    size_t j = host.find('.', i);
    if (j == std::string_view::npos) j = host.size();
    std::string_view label = host.substr(i, j - i);
    if (label.empty() || !IsAlnum(label.front()) || !IsAlnum(label.back())) return false;
    for (char c : label) {
      if (!IsAlnum(c) && c != '-') return false;
    }
    i = j + 1;
  }
  return true;
}

bool ValidTag(std::string_view t) {
  if (t.empty() || t.size() > kMaxTagLength) return false;
  auto word = [](char c) { return IsAlnum(c) || c == '_'; };
  if (!word(t.front())) return false;
  for (char c : t) {
    if (!word(c) && c != '.' && c != '-') return false;
  }
  return true;
}

absl::Status Invalid(std::string_view ref, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid image reference \"", std::string(ref), "\": ", std::string(why)));
}

// Docker's rule: the first component is a registry host only when it looks
// like one ('.' or ':' in it, "localhost", or upper case letters).
void SplitDomain(std::string_view name, std::string* domain, std::string* path) {
  size_t slash = name.find('/');
  std::string_view first = name.substr(0, slash);
  bool lower = true;
  for (char c : first) lower = lower && !std::isupper(static_cast<unsigned char>(c));
  if (slash == std::string_view::npos ||
      (first.find_first_of(".:") == std::string_view::npos && first != "localhost" && lower)) {
    *domain = "docker.io";
    *path = std::string(name);
  } else {
    *domain = std::string(first);
    *path = std::string(name.substr(slash + 1));
  }
  if (*domain == "index.docker.io") *domain = "docker.io";
  if (*domain == "docker.io" && path->find('/') == std::string::npos) *path = "library/" + *path;
}

}  // namespace

std::string Reference::String() const {
  std::string s = Repository();
  if (!tag.empty()) absl::StrAppend(&s, ":", tag);
  if (!digest.empty()) absl::StrAppend(&s, "@", digest);
  return s;
}

absl::StatusOr<Reference> ParseReference(std::string_view s) {
  if (s.empty()) return Invalid(s, "empty");
  Reference ref;
  std::string_view rest = s;
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) {
    auto d = ParseDigest(rest.substr(at + 1));
    if (!d.ok()) return Invalid(s, std::string(d.status().message()));
    ref.digest = d->String();
    rest = rest.substr(0, at);
  }
  size_t colon = rest.rfind(':');
  size_t slash = rest.rfind('/');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    ref.tag = std::string(rest.substr(colon + 1));
    if (!ValidTag(ref.tag)) {
      return Invalid(s, "tag must be [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    }
    rest = rest.substr(0, colon);
  }
  if (rest.empty()) return Invalid(s, "missing repository name");
  SplitDomain(rest, &ref.domain, &ref.path);
  if (!ValidDomain(ref.domain)) return Invalid(s, absl::StrCat("bad registry host \"", ref.domain, "\""));
  for (size_t i = 0; i <= ref.path.size();) {
    size_t j = ref.path.find('/', i);
    if (j == std::string::npos) j = ref.path.size();
    std::string_view comp = std::string_view(ref.path).substr(i, j - i);
    if (!ValidPathComponent(comp)) {
      bool upper = false;
      for (char c : comp) upper = upper || std::isupper(static_cast<unsigned char>(c));
      return Invalid(s, upper ? "repository name must be lowercase"
                              : absl::StrCat("bad path component \"", std::string(comp), "\""));
    }
    i = j + 1;
  }
  if (ref.Repository().size() > kMaxNameLength) {
    return Invalid(s, absl::StrCat("repository name longer than ", kMaxNameLength, " characters"));
  }
  if (ref.tag.empty() && ref.digest.empty()) ref.tag = "latest";
  return ref;
}

}  // namespace cricket::image
