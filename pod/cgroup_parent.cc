// Pod cgroup parent → cgroup path; the systemd slice expansion is the engine's
// (oci/cgroup/systemd.h), so containers and the infra process agree on it.
#include "pod/cgroup_parent.h"

#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "oci/cgroup/systemd.h"

namespace cricket::pod {
namespace {

bool IsSliceName(const std::string& s) {
  return absl::EndsWith(s, ".slice") && s.find('/') == std::string::npos;
}

absl::StatusOr<std::string> CleanAbsolute(const std::string& p) {
  if (p.empty() || p[0] != '/') {
    return absl::InvalidArgumentError(absl::StrCat(
        "cgroup parent \"", p, "\" is neither an absolute cgroupfs path nor a systemd slice name"));
  }
  std::vector<std::string> parts;
  for (absl::string_view part : absl::StrSplit(p, '/', absl::SkipEmpty())) {
    if (part == "..") {
      return absl::InvalidArgumentError(absl::StrCat("cgroup parent \"", p, "\" climbs out with .."));
    }
    if (part != ".") parts.emplace_back(part);
  }
  return absl::StrCat("/", absl::StrJoin(parts, "/"));
}

absl::StatusOr<std::string> ExpandSliceNamed(const std::string& slice) {
  absl::StatusOr<std::string> p = oci::cgroup::ExpandSlice(slice);
  if (!p.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("cgroup parent \"", slice, "\": ", std::string(p.status().message())));
  }
  return p;
}

}  // namespace

absl::StatusOr<std::string> PodCgroupParentPath(const std::string& cgroup_parent,
                                                bool systemd_driver) {
  if (cgroup_parent.empty()) return std::string();
  if (IsSliceName(cgroup_parent)) return ExpandSliceNamed(cgroup_parent);
  if (systemd_driver) {
    return absl::InvalidArgumentError(absl::StrCat("cgroup parent \"", cgroup_parent,
                                                   "\" is not a systemd slice name (driver systemd)"));
  }
  return CleanAbsolute(cgroup_parent);
}

absl::StatusOr<std::string> InfraCgroupsPath(const std::string& cgroup_parent, bool systemd_driver,
                                             const std::string& pod_id) {
  if (systemd_driver) {
    std::string slice = cgroup_parent.empty() ? "system.slice" : cgroup_parent;
    if (!IsSliceName(slice)) {
      return absl::InvalidArgumentError(
          absl::StrCat("cgroup parent \"", slice, "\" is not a systemd slice name (driver systemd)"));
    }
    if (auto st = ExpandSliceNamed(slice); !st.ok()) return st.status();
    return absl::StrCat(slice, ":cricket:", pod_id);
  }
  if (cgroup_parent.empty()) return absl::StrCat("/cricket/", pod_id);
  absl::StatusOr<std::string> parent = PodCgroupParentPath(cgroup_parent, false);
  if (!parent.ok()) return parent.status();
  return absl::StrCat(*parent == "/" ? "" : *parent, "/", pod_id);
}

}  // namespace cricket::pod
