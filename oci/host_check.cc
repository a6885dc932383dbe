// The engine's kernel needs, read from /proc: privileges, namespaces,
// seccomp and a root pivot_root(2) accepts.
#include "oci/host_check.h"

#include <linux/capability.h>

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "oci/cgroup/host_check.h"
#include "oci/linux/caps.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"

namespace cricket::oci {
namespace {

using sys::CheckFail;
using sys::CheckOk;
using sys::CheckResult;
using sys::CheckWarn;

std::vector<CheckResult> CheckPrivileges() {
  std::vector<CheckResult> out;
  if (!linux::HasEffectiveCap(CAP_SYS_ADMIN)) {
    out.push_back(CheckFail("privileges", "no CAP_SYS_ADMIN: cricketd must run as root"));
    return out;
  }
  out.push_back(CheckOk("privileges", "CAP_SYS_ADMIN"));
  if (!linux::HasEffectiveCap(CAP_SYS_RESOURCE)) {
    out.push_back(CheckWarn("privileges",
                            "no CAP_SYS_RESOURCE: containers' oom_score_adj is clamped "
                            "to cricketd's own and hard rlimits cannot rise"));
  }
  return out;
}

CheckResult CheckNamespaces(const HostPaths& p) {
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
    return CheckFail("namespaces", absl::StrCat("kernel without ", absl::StrJoin(missing, " "),
                                                " namespaces (", p.proc, "/self/ns)"));
  }
  if (!optional_missing.empty()) {
    return CheckWarn("namespaces", absl::StrCat(absl::StrJoin(have, " "), "; no ",
                                                absl::StrJoin(optional_missing, " "),
                                                ": pods asking for them fail"));
  }
  return CheckOk("namespaces", absl::StrJoin(have, " "));
}

CheckResult CheckSeccomp(const HostPaths& p) {
  auto status = sys::ReadFile(p.proc + "/self/status");
  if (!status.ok()) return CheckFail("seccomp", std::string(status.status().message()));
  if (status->find("\nSeccomp_filters:") != std::string::npos) {
    return CheckOk("seccomp", "filter mode supported");
  }
  if (status->find("\nSeccomp:") != std::string::npos) return CheckOk("seccomp", "supported");
  return CheckFail("seccomp",
                   "kernel without CONFIG_SECCOMP: the RuntimeDefault profile of pods "
                   "cannot be applied");
}

// pivot_root(2) refuses the initial ramfs root, where runtimes must MS_MOVE.
CheckResult CheckPivotRoot(const HostPaths& p) {
  auto info = sys::ReadFile(p.proc + "/self/mountinfo");
  if (!info.ok()) return CheckFail("pivot_root", std::string(info.status().message()));
  std::string fstype;
  for (absl::string_view line : absl::StrSplit(*info, '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> f = absl::StrSplit(line, ' ');
    auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() > 4 && f[4] == "/" && dash != f.end() && dash + 1 != f.end()) {
      fstype = std::string(*(dash + 1));  // the last mount on / is the visible one
    }
  }
  if (fstype.empty()) return CheckWarn("pivot_root", "no mount on / in mountinfo");
  if (fstype == "rootfs" || fstype == "ramfs") {
    return CheckFail("pivot_root",
                     absl::StrCat("/ is ", fstype,
                                  " (initramfs): pivot_root(2) fails there; boot with "
                                  "a real root file system"));
  }
  return CheckOk("pivot_root", absl::StrCat("/ is ", fstype));
}

}  // namespace

std::vector<CheckResult> CheckHost(const HostPaths& paths,
                                   const std::optional<CgroupWanted>& cgroup) {
  std::vector<CheckResult> out = CheckPrivileges();
  out.push_back(CheckNamespaces(paths));
  out.push_back(CheckSeccomp(paths));
  out.push_back(CheckPivotRoot(paths));
  if (cgroup) {
    for (auto& r : cgroup::CheckHost(paths.cgroup_root, cgroup->version, cgroup->driver,
                                     paths.systemd_run)) {
      out.push_back(std::move(r));
    }
  }
  return out;
}

}  // namespace cricket::oci
