// Host lookups for the spec builder. Devices come from stat(2); the
// privileged device list is /dev and its first-level subdirectories.
#include "pod/host_lookups.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/read_in_root.h"
#include "oci/sys/status.h"

namespace cricket::pod {
namespace {

absl::StatusOr<spec::DeviceInfo> StatDevice(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return sys::ErrnoStatus(errno, "stat device %s", path);
  spec::DeviceInfo d;
  if (S_ISCHR(st.st_mode)) {
    d.type = 'c';
  } else if (S_ISBLK(st.st_mode)) {
    d.type = 'b';
  } else if (S_ISFIFO(st.st_mode)) {
    d.type = 'p';
  } else {
    return absl::InvalidArgumentError(absl::StrCat(path, " is not a device"));
  }
  d.major = major(st.st_rdev);
  d.minor = minor(st.st_rdev);
  d.file_mode = st.st_mode & 07777;
  d.uid = st.st_uid;
  d.gid = st.st_gid;
  return d;
}

void AddDevicesIn(const std::string& dir, int depth,
                  std::vector<std::pair<std::string, spec::DeviceInfo>>* out) {
  absl::StatusOr<std::vector<std::string>> names = sys::ListDir(dir);
  if (!names.ok()) return;
  for (const auto& n : *names) {
    std::string p = dir + "/" + n;
    struct stat st;
    if (::lstat(p.c_str(), &st) != 0) continue;
    if (S_ISDIR(st.st_mode) && depth > 0 && n != "pts" && n != "shm" && n != "mqueue") {
      AddDevicesIn(p, depth - 1, out);
    } else if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) {
      absl::StatusOr<spec::DeviceInfo> d = StatDevice(p);
      if (d.ok()) out->emplace_back(p, *d);
    }
  }
}

}  // namespace

spec::HostLookups MakeHostLookups(std::function<pid_t(const std::string&)> container_pid) {
  spec::HostLookups h;
  h.device = StatDevice;
  h.all_devices = [] {
    std::vector<std::pair<std::string, spec::DeviceInfo>> out;
    AddDevicesIn("/dev", 1, &out);
    return out;
  };
  h.read_file = [](const std::string& path) { return sys::ReadFile(path); };
  h.target_pid_ns = [container_pid](const std::string& id) -> absl::StatusOr<std::string> {
    pid_t pid = container_pid(id);
    if (pid <= 0) return absl::NotFoundError(absl::StrCat("target container ", id, " is not running"));
    return absl::StrCat("/proc/", pid, "/ns/pid");
  };
  return h;
}

absl::StatusOr<std::string> ReadImageFile(const std::string& rootfs, const std::string& rel) {
  absl::StatusOr<std::string> text = sys::ReadRegularFileInRoot(rootfs, rel, kMaxImageFileBytes);
  if (absl::IsNotFound(text.status())) return std::string();
  return text;
}

}  // namespace cricket::pod
