// Host cgroup layout detection and cgroupsPath resolution.
#include "oci/cgroup/detect.h"

#include <linux/magic.h>
#include <sys/vfs.h>

#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "oci/cgroup/cgroup_fs.h"
#include "oci/sys/status.h"

namespace cricket::oci::cgroup {
namespace {

// The v1 controllers a mount's super options can name (the rest are flags).
const std::set<std::string>& KnownControllers() {
  static const std::set<std::string> k = {"cpu",     "cpuacct", "cpuset",     "memory",
                                          "devices", "freezer", "net_cls",    "net_prio",
                                          "blkio",   "pids",    "perf_event", "hugetlb",
                                          "rdma",    "misc"};
  return k;
}

}  // namespace

absl::StatusOr<CgroupMode> DetectMode(const std::string& root) {
  struct statfs fs;
  if (::statfs(root.c_str(), &fs) != 0) return sys::ErrnoStatus(errno, "statfs %s", root);
  if (fs.f_type == CGROUP2_SUPER_MAGIC) return CgroupMode::kV2;
  // A single v1 hierarchy mounted straight at the root (rare, but runc accepts it).
  if (fs.f_type == CGROUP_SUPER_MAGIC) return CgroupMode::kV1;
  if (fs.f_type != TMPFS_MAGIC) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s is not a cgroup mount (file system magic 0x%x, expected cgroup2 or tmpfs)", root,
        static_cast<int64_t>(fs.f_type)));
  }
  // systemd's hybrid layout puts a v2 hierarchy at <root>/unified; if it is
  // missing or not cgroup2 the host is plain v1.
  const std::string unified = root + "/unified";
  if (::statfs(unified.c_str(), &fs) == 0 && fs.f_type == CGROUP2_SUPER_MAGIC) {
    return CgroupMode::kHybrid;
  }
  return CgroupMode::kV1;
}

std::string ModeName(CgroupMode mode) {
  switch (mode) {
    case CgroupMode::kV1:
      return "v1";
    case CgroupMode::kHybrid:
      return "hybrid";
    case CgroupMode::kV2:
      return "v2";
  }
  return "unknown";
}

std::map<std::string, std::string> ParseCgroupMounts(const std::string& mountinfo,
                                                     const std::string& root) {
  std::map<std::string, std::string> out;
  const std::string prefix = CleanPath(root) == "/" ? "/" : CleanPath(root) + "/";
  for (absl::string_view line : absl::StrSplit(mountinfo, '\n', absl::SkipEmpty())) {
    // "<id> <parent> <maj:min> <root> <mountpoint> <opts> [optional...] - <fstype> <src> <super>"
    std::vector<std::string> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
    size_t dash = 0;
    while (dash < f.size() && f[dash] != "-") ++dash;
    if (f.size() < 5 || dash + 3 >= f.size() || f[dash + 1] != "cgroup") continue;
    const std::string& mnt = f[4];
    if (!absl::StartsWith(mnt, prefix)) continue;
    for (absl::string_view opt : absl::StrSplit(f[dash + 3], ',')) {
      std::string o(opt);
      if (KnownControllers().count(o) || absl::StartsWith(o, "name=")) out.emplace(o, mnt);
    }
  }
  return out;
}

std::string ResolveCgroupPath(const std::string& cgroups_path, const std::string& container_id,
                              const std::string& own) {
  const std::string inner = cgroups_path.empty() ? container_id : cgroups_path;
  if (absl::StartsWith(inner, "/")) return CleanPath(inner);
  return CleanPath(CleanPath(own) + "/" + CleanPath(inner).substr(1));
}

}  // namespace cricket::oci::cgroup
