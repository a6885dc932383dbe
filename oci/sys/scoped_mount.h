// mount(2) as a handle: unmounted (MNT_DETACH) on destruction unless
// Release()d. Also the one place outside oci/linux that calls umount2.
#pragma once

#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::sys {

absl::Status Mount(const std::string& source, const std::string& target, const std::string& fstype,
                   unsigned long flags, const std::string& data = "");
// umount2(target, flags); EINVAL (not a mount) and ENOENT are reported.
absl::Status Unmount(const std::string& target, int flags = 0);
// True when `path` is a mount point (its mount id differs from its parent's).
bool IsMountPoint(const std::string& path);

class ScopedMount {
 public:
  static absl::StatusOr<ScopedMount> Make(const std::string& source, const std::string& target,
                                          const std::string& fstype, unsigned long flags,
                                          const std::string& data = "");
  ScopedMount() = default;
  ScopedMount(ScopedMount&& o) noexcept : target_(std::exchange(o.target_, std::string())) {}
  ScopedMount& operator=(ScopedMount&& o) noexcept;
  ScopedMount(const ScopedMount&) = delete;
  ScopedMount& operator=(const ScopedMount&) = delete;
  ~ScopedMount();

  const std::string& target() const { return target_; }
  std::string Release() { return std::exchange(target_, std::string()); }
  // Unmounts now and reports failure.
  absl::Status Unmount();

 private:
  explicit ScopedMount(std::string target) : target_(std::move(target)) {}
  std::string target_;
};

}  // namespace cricket::sys
