// Which cgroup layout the host mounted, from the file system magic of the
// cgroup mount root (as runc's and systemd's detection do).
#include <linux/magic.h>
#include <sys/statfs.h>

#include <cerrno>
#include <string>

#include "absl/strings/str_format.h"
#include "conf/config.h"
#include "oci/sys/status.h"

namespace cricket::conf {
namespace {

absl::StatusOr<int64_t> FsMagic(const std::string& path) {
  struct statfs fs {};
  if (::statfs(path.c_str(), &fs) != 0) return sys::ErrnoStatus(errno, "statfs %s", path);
  return static_cast<int64_t>(fs.f_type);
}

}  // namespace

std::string_view CgroupVersionName(CgroupVersion v) {
  switch (v) {
    case CgroupVersion::kV1:
      return "v1";
    case CgroupVersion::kV2:
      return "v2";
    case CgroupVersion::kHybrid:
      return "hybrid";
  }
  return "unknown";
}

absl::StatusOr<CgroupVersion> DetectCgroupVersion(const std::string& mount_root) {
  ASSIGN_OR_RETURN(int64_t root, FsMagic(mount_root));
  if (root == CGROUP2_SUPER_MAGIC) return CgroupVersion::kV2;
  // A single v1 hierarchy mounted straight at the root (rare, but runc accepts it).
  if (root == CGROUP_SUPER_MAGIC) return CgroupVersion::kV1;
  if (root != TMPFS_MAGIC) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "%s is not a cgroup mount (file system magic 0x%x, expected cgroup2 or tmpfs)", mount_root,
        root));
  }
  // systemd's hybrid layout puts a v2 hierarchy at <root>/unified; if it is
  // missing or not cgroup2 the host is plain v1.
  absl::StatusOr<int64_t> unified = FsMagic(mount_root + "/unified");
  if (unified.ok() && *unified == CGROUP2_SUPER_MAGIC) return CgroupVersion::kHybrid;
  return CgroupVersion::kV1;
}

absl::StatusOr<CgroupVersion> EffectiveCgroupVersion(const Config::Cgroup& cgroup,
                                                     const std::string& mount_root) {
  if (cgroup.version == "v1") return CgroupVersion::kV1;
  if (cgroup.version == "v2") return CgroupVersion::kV2;
  return DetectCgroupVersion(mount_root);
}

}  // namespace cricket::conf
