// `cricketd check`'s cgroup lines: layout, controllers, driver.
#include "oci/cgroup/host_check.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "oci/cgroup/detect.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"

namespace cricket::oci::cgroup {
namespace {

using sys::CheckFail;
using sys::CheckOk;
using sys::CheckResult;
using sys::CheckWarn;

// Controllers the engine drives; the rest are used only when a pod asks.
struct Controllers {
  std::vector<std::string> required, optional;
};

CheckResult CheckControllers(CgroupMode mode, const std::string& root) {
  const bool v2 = mode == CgroupMode::kV2;
  Controllers want =
      v2 ? Controllers{{"cpu", "memory", "pids"}, {"cpuset", "io", "hugetlb"}}
         : Controllers{{"cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer"},
                       {"blkio", "hugetlb"}};
  std::vector<std::string> have;
  if (v2) {
    auto list = sys::ReadFile(root + "/cgroup.controllers");
    if (!list.ok()) return CheckFail("cgroups", std::string(list.status().message()));
    for (absl::string_view c : absl::StrSplit(*list, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
      have.emplace_back(c);
    }
  } else {
    for (const auto* l : {&want.required, &want.optional}) {
      for (const auto& c : *l) {
        if (sys::PathExists(root + "/" + c)) have.push_back(c);
      }
    }
  }
  auto missing = [&](const std::vector<std::string>& names) {
    std::vector<std::string> m;
    for (const auto& n : names) {
      if (std::find(have.begin(), have.end(), n) == have.end()) m.push_back(n);
    }
    return m;
  };
  const std::string layout = absl::StrCat(ModeName(mode), " at ", root);
  if (auto m = missing(want.required); !m.empty()) {
    return CheckFail("cgroups",
                     absl::StrCat(layout, ": controllers missing: ", absl::StrJoin(m, " ")));
  }
  if (auto m = missing(want.optional); !m.empty()) {
    return CheckWarn("cgroups", absl::StrCat(layout, ": no ", absl::StrJoin(m, " "),
                                             " (limits of that kind are not applied)"));
  }
  return CheckOk("cgroups", absl::StrCat(layout, " with ", absl::StrJoin(have, " ")));
}

}  // namespace

std::vector<CheckResult> CheckHost(const std::string& root, const std::string& version,
                                   const std::string& driver, const std::string& systemd_run) {
  std::vector<CheckResult> out;
  auto mode = DetectMode(root);
  if (!mode.ok()) {
    out.push_back(CheckFail(
        "cgroups", absl::StrCat("cannot tell the cgroup layout: ", mode.status().message())));
    return out;
  }
  // Hybrid counts as v1 (the engine drives the v1 controllers there).
  const bool host_v2 = *mode == CgroupMode::kV2;
  if ((version == "v2" && !host_v2) || (version == "v1" && host_v2)) {
    out.push_back(CheckFail("cgroups", absl::StrCat("cgroup.version is ", version,
                                                    " but the host mounts ", ModeName(*mode),
                                                    " at ", root)));
    return out;
  }
  out.push_back(CheckControllers(*mode, root));
  if (driver == "systemd" && !sys::PathExists(systemd_run)) {
    out.push_back(CheckFail("cgroups", absl::StrCat("cgroup.driver is systemd but systemd is not "
                                                    "init here (no ",
                                                    systemd_run, "): use cgroupfs")));
  } else {
    out.push_back(CheckOk("cgroups", absl::StrCat("driver ", driver)));
  }
  return out;
}

}  // namespace cricket::oci::cgroup
