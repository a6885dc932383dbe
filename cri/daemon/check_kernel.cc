// `cricketd check`, the kernel part: privileges, overlayfs, namespaces,
// seccomp, pivot_root and cgroups, read from /proc and /sys/fs/cgroup.
#include <linux/capability.h>
#include <sys/utsname.h>

#include <algorithm>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "cri/daemon/check.h"
#include "oci/cgroup/detect.h"
#include "oci/linux/caps.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"

namespace cricket::cri {
namespace {

CheckResult Ok(std::string name, std::string detail) {
  return {CheckLevel::kOk, std::move(name), std::move(detail)};
}
CheckResult Warn(std::string name, std::string detail) {
  return {CheckLevel::kWarn, std::move(name), std::move(detail)};
}
CheckResult Fail(std::string name, std::string detail) {
  return {CheckLevel::kFail, std::move(name), std::move(detail)};
}

std::vector<CheckResult> CheckPrivileges() {
  std::vector<CheckResult> out;
  if (!oci::linux::HasEffectiveCap(CAP_SYS_ADMIN)) {
    out.push_back(Fail("privileges", "no CAP_SYS_ADMIN: cricketd must run as root"));
    return out;
  }
  out.push_back(Ok("privileges", "CAP_SYS_ADMIN"));
  if (!oci::linux::HasEffectiveCap(CAP_SYS_RESOURCE)) {
    out.push_back(Warn("privileges",
                       "no CAP_SYS_RESOURCE: containers' oom_score_adj is clamped "
                       "to cricketd's own and hard rlimits cannot rise"));
  }
  return out;
}

CheckResult CheckOverlay(const NodePaths& p) {
  const std::string file = p.proc + "/filesystems";
  auto fs = sys::ReadFile(file);
  if (!fs.ok())
    return Fail("overlayfs", absl::StrCat("cannot read ", file, ": ", fs.status().message()));
  for (absl::string_view line : absl::StrSplit(*fs, '\n')) {
    if (absl::StripAsciiWhitespace(line.substr(line.find('\t') + 1)) == "overlay") {
      return Ok("overlayfs", absl::StrCat("overlay in ", file));
    }
  }
  // Not registered yet: mount(2) makes the kernel load the module, if there is
  // one.
  utsname u{};
  ::uname(&u);
  const std::string mod_dir = absl::StrCat(p.modules, "/", u.release, "/kernel/fs/overlayfs");
  if (sys::PathExists(mod_dir)) {
    return Warn("overlayfs", absl::StrCat("module not loaded yet (", mod_dir,
                                          "); the first mount loads it (or: modprobe overlay)"));
  }
  return Fail("overlayfs", absl::StrCat("no overlay in ", file, " and no module in ", mod_dir,
                                        ": image layers cannot be mounted"));
}

CheckResult CheckNamespaces(const NodePaths& p) {
  std::vector<std::string> missing, optional_missing, have;
  for (const char* ns : {"mnt", "uts", "ipc", "net", "pid", "cgroup", "user"}) {
    const bool required = std::string_view(ns) != "cgroup" && std::string_view(ns) != "user";
    if (sys::PathExists(absl::StrCat(p.proc, "/self/ns/", ns))) {
      have.push_back(ns);
    } else {
      (required ? missing : optional_missing).push_back(ns);
    }
  }
  if (!missing.empty()) {
    return Fail("namespaces", absl::StrCat("kernel without ", absl::StrJoin(missing, " "),
                                           " namespaces (", p.proc, "/self/ns)"));
  }
  if (!optional_missing.empty()) {
    return Warn("namespaces",
                absl::StrCat(absl::StrJoin(have, " "), "; no ",
                             absl::StrJoin(optional_missing, " "), ": pods asking for them fail"));
  }
  return Ok("namespaces", absl::StrJoin(have, " "));
}

CheckResult CheckSeccomp(const NodePaths& p) {
  auto status = sys::ReadFile(p.proc + "/self/status");
  if (!status.ok()) return Fail("seccomp", std::string(status.status().message()));
  if (status->find("\nSeccomp_filters:") != std::string::npos) {
    return Ok("seccomp", "filter mode supported");
  }
  if (status->find("\nSeccomp:") != std::string::npos) return Ok("seccomp", "supported");
  return Fail("seccomp",
              "kernel without CONFIG_SECCOMP: the RuntimeDefault profile of pods "
              "cannot be applied");
}

// pivot_root(2) refuses the initial ramfs root, where runtimes must MS_MOVE.
CheckResult CheckPivotRoot(const NodePaths& p) {
  auto info = sys::ReadFile(p.proc + "/self/mountinfo");
  if (!info.ok()) return Fail("pivot_root", std::string(info.status().message()));
  std::string fstype;
  for (absl::string_view line : absl::StrSplit(*info, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> f = absl::StrSplit(line, ' ');
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() > 4 && f[4] == "/" && dash != f.end() && dash + 1 != f.end()) {
      fstype = std::string(*(dash + 1));  // the last mount on / is the visible one
    }
  }
  if (fstype.empty()) return Warn("pivot_root", "no mount on / in mountinfo");
  if (fstype == "rootfs" || fstype == "ramfs") {
    return Fail("pivot_root", absl::StrCat("/ is ", fstype,
                                           " (initramfs): pivot_root(2) fails there; boot with "
                                           "a real root file system"));
  }
  return Ok("pivot_root", absl::StrCat("/ is ", fstype));
}

// Controllers the engine drives; the rest are used only when a pod asks.
struct Controllers {
  std::vector<std::string> required, optional;
};

CheckResult CheckControllers(oci::cgroup::CgroupMode v, const NodePaths& p) {
  const bool v2 = v == oci::cgroup::CgroupMode::kV2;
  Controllers want =
      v2 ? Controllers{{"cpu", "memory", "pids"}, {"cpuset", "io", "hugetlb"}}
         : Controllers{{"cpu", "cpuacct", "cpuset", "memory", "pids", "devices", "freezer"},
                       {"blkio", "hugetlb"}};
  std::vector<std::string> have;
  if (v2) {
    auto list = sys::ReadFile(p.cgroup_root + "/cgroup.controllers");
    if (!list.ok()) return Fail("cgroups", std::string(list.status().message()));
    for (absl::string_view c : absl::StrSplit(*list, absl::ByAnyChar(" \n"), absl::SkipEmpty())) {
      have.emplace_back(c);
    }
  } else {
    for (const auto* l : {&want.required, &want.optional}) {
      for (const auto& c : *l) {
        if (sys::PathExists(p.cgroup_root + "/" + c)) have.push_back(c);
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
  const std::string layout =
      absl::StrCat(oci::cgroup::ModeName(v), " at ", p.cgroup_root);
  if (auto m = missing(want.required); !m.empty()) {
    return Fail("cgroups", absl::StrCat(layout, ": controllers missing: ", absl::StrJoin(m, " ")));
  }
  if (auto m = missing(want.optional); !m.empty()) {
    return Warn("cgroups", absl::StrCat(layout, ": no ", absl::StrJoin(m, " "),
                                        " (limits of that kind are not applied)"));
  }
  return Ok("cgroups", absl::StrCat(layout, " with ", absl::StrJoin(have, " ")));
}

}  // namespace

std::vector<CheckResult> CheckKernel(const NodePaths& paths) {
  std::vector<CheckResult> out = CheckPrivileges();
  out.push_back(CheckOverlay(paths));
  out.push_back(CheckNamespaces(paths));
  out.push_back(CheckSeccomp(paths));
  out.push_back(CheckPivotRoot(paths));
  return out;
}

std::vector<CheckResult> CheckCgroups(const conf::Config::Cgroup& cgroup, const NodePaths& paths) {
  std::vector<CheckResult> out;
  auto detected = oci::cgroup::DetectMode(paths.cgroup_root);
  if (!detected.ok()) {
    out.push_back(Fail(
        "cgroups", absl::StrCat("cannot tell the cgroup layout: ", detected.status().message())));
    return out;
  }
  // Hybrid counts as v1 (the engine drives the v1 controllers there).
  const bool host_v2 = *detected == oci::cgroup::CgroupMode::kV2;
  if ((cgroup.version == "v2" && !host_v2) || (cgroup.version == "v1" && host_v2)) {
    out.push_back(Fail(
        "cgroups",
        absl::StrCat("cgroup.version is ", cgroup.version, " but the host mounts ",
                     oci::cgroup::ModeName(*detected), " at ", paths.cgroup_root)));
    return out;
  }
  out.push_back(CheckControllers(*detected, paths));
  if (cgroup.driver == "systemd" && !sys::PathExists(paths.systemd_run)) {
    out.push_back(Fail("cgroups", absl::StrCat("cgroup.driver is systemd but systemd is not "
                                               "init here (no ",
                                               paths.systemd_run, "): use cgroupfs")));
  } else {
    out.push_back(Ok("cgroups", absl::StrCat("driver ", cgroup.driver)));
  }
  return out;
}

}  // namespace cricket::cri
