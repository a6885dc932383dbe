// A user namespace made with given id maps, and namespaces owned by it, held
// by a small helper process while the caller pins or opens them.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <utility>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::sys {

class UserNamespaceHolder {
 public:
  // Forks a helper that unshares a user namespace; we write uid_map and
  // gid_map ("<inside> <outside> <count>\n" lines); the helper then unshares
  // `owned_flags` (CLONE_NEWNET | ...), which the new user namespace owns,
  // and sets `hostname` when it is not empty. Safe from a multi-threaded
  // daemon: the helper makes only async-signal-safe calls.
  static absl::StatusOr<UserNamespaceHolder> Start(const std::string& uid_map,
                                                   const std::string& gid_map, int owned_flags,
                                                   const std::string& hostname = "");

  UserNamespaceHolder() = default;
  UserNamespaceHolder(UserNamespaceHolder&& o) noexcept
      : pid_(std::exchange(o.pid_, -1)), go_(std::move(o.go_)) {}
  UserNamespaceHolder& operator=(UserNamespaceHolder&& o) noexcept;
  ~UserNamespaceHolder();  // ends the helper (the namespaces live on where pinned or open)

  pid_t pid() const { return pid_; }
  // /proc/<pid>/ns/<name>: "user", "net", "ipc", "uts".
  std::string NsPath(std::string_view name) const;
  // An fd of the user namespace (for setns or MOUNT_ATTR_IDMAP).
  absl::StatusOr<UniqueFd> OpenUserNs() const;

 private:
  void Stop();
  pid_t pid_ = -1;
  UniqueFd go_;  // closing it lets the helper exit
};

// Mounts an id-mapped clone of `source` (not recursive) on `target`:
// open_tree(OPEN_TREE_CLONE), mount_setattr(MOUNT_ATTR_IDMAP) with the user
// namespace `userns_fd`, move_mount. Files owned by host id h on disk appear
// as the namespace's id for h (container 0 for host 0 with the pod's maps).
// `recursive`: clone the submounts too (rbind); `recursive_idmap`: id-map
// them too (ridmap), else only the top mount is id-mapped.
absl::Status IdmappedBind(const std::string& source, const std::string& target, int userns_fd,
                          bool recursive = false, bool recursive_idmap = false);

}  // namespace cricket::sys
