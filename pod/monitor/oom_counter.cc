// Finding the container's OOM counter file from the kernel's view of init's
// cgroup, so it holds for the cgroupfs and the systemd driver alike.
#include "pod/monitor/oom_counter.h"

#include <fcntl.h>

#include <cerrno>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "oci/cgroup/detect.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::pod::monitor {
namespace {

// The path in /proc/<pid>/cgroup ("<id>:<controllers>:<path>") of the
// hierarchy whose controller list holds `controller` ("" = the v2 line "0::").
absl::StatusOr<std::string> CgroupOf(const std::string& proc_cgroup,
                                     const std::string& controller) {
  for (absl::string_view line : absl::StrSplit(proc_cgroup, '\n', absl::SkipEmpty())) {
    std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits(':', 2));
    if (f.size() != 3) continue;
    if (controller.empty() ? f[0] == "0" && f[1].empty()
                           : absl::StrContains(absl::StrCat(",", f[1], ","),
                                               absl::StrCat(",", controller, ","))) {
      return f[2];
    }
  }
  return absl::NotFoundError(absl::StrCat("no ", controller.empty() ? "v2" : controller,
                                          " cgroup in /proc/<pid>/cgroup"));
}

}  // namespace

absl::StatusOr<sys::UniqueFd> OpenOomCounter(pid_t init_pid, const std::string& cgroup_root) {
  ASSIGN_OR_RETURN(oci::cgroup::CgroupMode mode, oci::cgroup::DetectMode(cgroup_root));
  ASSIGN_OR_RETURN(std::string own, sys::ReadFile(absl::StrCat("/proc/", init_pid, "/cgroup")));
  std::string file;
  if (mode == oci::cgroup::CgroupMode::kV2) {
    ASSIGN_OR_RETURN(std::string path, CgroupOf(own, ""));
    file = absl::StrCat(cgroup_root, path, "/memory.events");
  } else {
    ASSIGN_OR_RETURN(std::string path, CgroupOf(own, "memory"));
    ASSIGN_OR_RETURN(std::string mountinfo, sys::ReadFile("/proc/self/mountinfo"));
    std::map<std::string, std::string> mounts =
        oci::cgroup::ParseCgroupMounts(mountinfo, cgroup_root);
    auto it = mounts.find("memory");
    if (it == mounts.end()) return absl::NotFoundError("no v1 memory hierarchy mounted");
    file = absl::StrCat(it->second, path, "/memory.oom_control");
  }
  return sys::Open(file, O_RDONLY);
}

absl::StatusOr<sys::UniqueFd> OpenParentOomCounter(pid_t init_pid, const std::string& cgroup_root) {
  ASSIGN_OR_RETURN(oci::cgroup::CgroupMode mode, oci::cgroup::DetectMode(cgroup_root));
  if (mode != oci::cgroup::CgroupMode::kV2) {
    return absl::NotFoundError("no hierarchical OOM counter on cgroup v1");
  }
  ASSIGN_OR_RETURN(std::string own, sys::ReadFile(absl::StrCat("/proc/", init_pid, "/cgroup")));
  ASSIGN_OR_RETURN(std::string path, CgroupOf(own, ""));
  size_t slash = path.find_last_of('/');
  // The root's memory.events does not exist: nothing above a top-level cgroup.
  if (slash == std::string::npos || slash == 0) {
    return absl::NotFoundError(absl::StrCat("cgroup ", path, " has no parent with memory.events"));
  }
  return sys::Open(absl::StrCat(cgroup_root, path.substr(0, slash), "/memory.events"), O_RDONLY);
}

}  // namespace cricket::pod::monitor
