// Mounting the container's cgroups at the spec's cgroup mount point.
#include "oci/linux/cgroup_mount.h"

#include <fcntl.h>
#include <sys/mount.h>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "oci/cgroup/detect.h"
#include "oci/linux/rootfs.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/safe_path.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/status.h"

namespace cricket::oci::linux {

std::vector<CgroupHierarchy> ParseCgroupMounts(const std::string& mountinfo) {
  std::vector<CgroupHierarchy> out;
  for (absl::string_view line : absl::StrSplit(mountinfo, '\n', absl::SkipEmpty())) {
    std::vector<std::string> f = absl::StrSplit(line, ' ');
    size_t dash = 0;
    while (dash < f.size() && f[dash] != "-") dash++;
    if (dash + 3 >= f.size() || f.size() < 5) continue;
    const std::string& fstype = f[dash + 1];
    if (fstype != "cgroup" && fstype != "cgroup2") continue;
    CgroupHierarchy h{f[4], f[3], fstype, ""};
    if (fstype == "cgroup") {
      for (absl::string_view o : absl::StrSplit(f[dash + 3], ',')) {
        if (o == "rw" || o == "ro" || absl::StartsWith(o, "release_agent") ||
            o == "clone_children" || o == "noprefix" || o == "xattr" || o == "cpuset_v2_mode" ||
            o == "favordynmods") {
          continue;
        }
        if (!h.controllers.empty()) h.controllers += ",";
        h.controllers += std::string(o);
      }
    }
    out.push_back(h);
  }
  return out;
}

std::string CgroupPathFor(const std::string& proc_cgroup, const std::string& controllers) {
  for (absl::string_view line : absl::StrSplit(proc_cgroup, '\n', absl::SkipEmpty())) {
    std::vector<std::string> f = absl::StrSplit(line, absl::MaxSplits(':', 2));
    if (f.size() != 3) continue;
    if (controllers.empty() ? (f[0] == "0" && f[1].empty()) : f[1] == controllers) return f[2];
  }
  return "";
}

namespace {

// The host directory holding this process' cgroup in hierarchy h.
std::string HostDir(const CgroupHierarchy& h, const std::string& proc_cgroup) {
  std::string path = CgroupPathFor(proc_cgroup, h.controllers);
  if (h.root != "/" && absl::StartsWith(path, h.root)) path = path.substr(h.root.size());
  return h.mount_point + (path == "/" ? "" : path);
}

absl::Status BindInto(int root_fd, const std::string& src, const std::string& dest, bool ro) {
  ASSIGN_OR_RETURN(sys::UniqueFd target, MountPointInRoot(root_fd, dest, false));
  RETURN_IF_ERROR(sys::Mount(src, sys::FdPath(target.get()), "", MS_BIND));
  ASSIGN_OR_RETURN(target, sys::OpenInRoot(root_fd, dest, O_PATH));
  unsigned long flags =
      MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC | (ro ? MS_RDONLY : 0);
  return sys::Mount("", sys::FdPath(target.get()), "", flags);
}

}  // namespace

absl::Status MountCgroups(int root_fd, const MountStep& step) {
  ASSIGN_OR_RETURN(std::string mountinfo, sys::ReadFile("/proc/self/mountinfo"));
  ASSIGN_OR_RETURN(std::string proc_cgroup, sys::ReadFile("/proc/self/cgroup"));
  std::vector<CgroupHierarchy> hs;
  for (const CgroupHierarchy& h : ParseCgroupMounts(mountinfo)) {
    if (absl::StartsWith(h.mount_point, "/sys/fs/cgroup")) hs.push_back(h);
  }
  bool ro = (step.opts.flags & MS_RDONLY) != 0;
  // On v2 (cgroup/detect.h decides, as for the engine's manager) the unified
  // hierarchy at /sys/fs/cgroup is the one to bind; else a tmpfs of binds.
  auto mode = cgroup::DetectMode("/sys/fs/cgroup");
  if (mode.ok() && *mode == cgroup::CgroupMode::kV2) {
    for (const CgroupHierarchy& h : hs) {
      if (h.mount_point == "/sys/fs/cgroup") {
        return BindInto(root_fd, HostDir(h, proc_cgroup), step.destination, ro);
      }
    }
  }
  ASSIGN_OR_RETURN(sys::UniqueFd target, MountPointInRoot(root_fd, step.destination, false));
  RETURN_IF_ERROR(sys::Mount("tmpfs", sys::FdPath(target.get()), "tmpfs",
                             MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755"));
  for (const CgroupHierarchy& h : hs) {
    std::string name = h.mount_point.substr(h.mount_point.find_last_of('/') + 1);
    RETURN_IF_ERROR(BindInto(root_fd, HostDir(h, proc_cgroup), step.destination + "/" + name, ro));
  }
  if (ro) {
    ASSIGN_OR_RETURN(target, sys::OpenInRoot(root_fd, step.destination, O_PATH));
    RETURN_IF_ERROR(
        sys::Mount("", sys::FdPath(target.get()), "",
                   MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC));
  }
  return absl::OkStatus();
}

}  // namespace cricket::oci::linux
