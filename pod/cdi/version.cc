#include "pod/cdi/version.h"

#include <charconv>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"

namespace cricket::pod::cdi {
namespace {

using MinorVersion = std::pair<int, int>;  // major, minor

bool ParseNumber(absl::string_view s, int* out) {
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return !s.empty() && ec == std::errc() && ptr == s.data() + s.size();
}

bool ParseVersion(absl::string_view v, MinorVersion* out) {
  std::vector<absl::string_view> parts = absl::StrSplit(absl::StripPrefix(v, "v"), '.');
  int patch = 0;
  return parts.size() == 3 && ParseNumber(parts[0], &out->first) &&
         ParseNumber(parts[1], &out->second) && ParseNumber(parts[2], &patch);
}

bool Known(MinorVersion v) {
  if (v.first == 0) return v.second >= 3 && v.second <= 8;
  return v.first == 1 && v.second <= 1;
}

MinorVersion Required(const SpecFile& s, bool has_annotations) {
  MinorVersion need{0, 3};
  auto at_least = [&](MinorVersion v) { need = std::max(need, v); };
  std::vector<const ContainerEdits*> edits = {&s.edits};
  for (const Device& d : s.devices) {
    edits.push_back(&d.edits);
    if (!d.name.empty() && !absl::ascii_isalpha(d.name[0])) at_least({0, 5});
  }
  for (const ContainerEdits* e : edits) {
    for (const Mount& m : e->mounts) {
      if (!m.type.empty()) at_least({0, 4});
    }
    for (const DeviceNode& n : e->device_nodes) {
      if (!n.host_path.empty()) at_least({0, 5});
    }
    if (e->has_intel_rdt || !e->additional_gids.empty()) at_least({0, 7});
    if (e->has_net_devices) at_least({1, 1});
  }
  size_t slash = s.kind.find('/');
  if (has_annotations || (slash != std::string::npos &&
                          s.kind.find('.', slash) != std::string::npos)) {
    at_least({0, 6});
  }
  return need;
}

}  // namespace

absl::Status CheckVersion(const SpecFile& s, bool has_annotations) {
  MinorVersion v;
  if (!ParseVersion(s.version, &v) || !Known(v)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cdiVersion: \"", s.version, "\" is not a supported CDI version (0.3.0 to 1.1.x)"));
  }
  MinorVersion need = Required(s, has_annotations);
  if (v < need) {
    return absl::InvalidArgumentError(absl::StrCat("cdiVersion: ", s.version,
                                                   " is too old for the fields used, which need ",
                                                   need.first, ".", need.second, ".0"));
  }
  return absl::OkStatus();
}

}  // namespace cricket::pod::cdi
