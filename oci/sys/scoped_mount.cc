// Mount helpers and the unmount-on-destruction handle.
#include "oci/sys/scoped_mount.h"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::sys {

absl::Status Mount(const std::string& source, const std::string& target, const std::string& fstype,
                   unsigned long flags, const std::string& data) {
  if (::mount(source.c_str(), target.c_str(), fstype.empty() ? nullptr : fstype.c_str(), flags,
              data.empty() ? nullptr : data.c_str()) != 0) {
    return ErrnoStatus(errno, "mount %s on %s (type %s)", source, target, fstype);
  }
  return absl::OkStatus();
}

absl::Status Unmount(const std::string& target, int flags) {
  if (::umount2(target.c_str(), flags) != 0) return ErrnoStatus(errno, "unmount %s", target);
  return absl::OkStatus();
}

bool IsMountPoint(const std::string& path) {
  struct statx a, b;
  if (::statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &a) != 0) return false;
  std::string parent = path + "/..";
  if (::statx(AT_FDCWD, parent.c_str(), 0, STATX_MNT_ID, &b) != 0) return false;
  if ((a.stx_mask & STATX_MNT_ID) && (b.stx_mask & STATX_MNT_ID)) return a.stx_mnt_id != b.stx_mnt_id;
  return a.stx_dev_major != b.stx_dev_major || a.stx_dev_minor != b.stx_dev_minor;
}

absl::StatusOr<ScopedMount> ScopedMount::Make(const std::string& source, const std::string& target,
                                              const std::string& fstype, unsigned long flags,
                                              const std::string& data) {
  RETURN_IF_ERROR(Mount(source, target, fstype, flags, data));
  return ScopedMount(target);
}

ScopedMount& ScopedMount::operator=(ScopedMount&& o) noexcept {
  if (this != &o) {
    ScopedMount old(std::move(*this));
    target_ = std::exchange(o.target_, std::string());
  }
  return *this;
}

absl::Status ScopedMount::Unmount() {
  if (target_.empty()) return absl::OkStatus();
  std::string t = std::exchange(target_, std::string());
  return sys::Unmount(t, MNT_DETACH);
}

ScopedMount::~ScopedMount() {
  absl::Status st = Unmount();
  if (!st.ok()) LogWarn("unmount failed", {{"error", st.ToString()}});
}

}  // namespace cricket::sys
