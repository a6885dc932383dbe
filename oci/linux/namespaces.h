// Which namespaces a container gets (new via clone flags, joined via setns on
// a path) and the calls that make that happen.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/spec.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::linux {

// CLONE_NEW* for a runtime-spec namespace type (0 for an unknown one).
uint64_t NamespaceFlag(const std::string& type);
// The /proc/<pid>/ns/ entry name for a type ("network" → "net").
std::string ProcNsName(const std::string& type);

struct NsPlan {
  // Given to clone3: new mount, uts, ipc, net, pid, user namespaces.
  uint64_t clone_flags = 0;
  // Made by the child with unshare after the parent put it in its cgroup
  // (cgroup), or before exec so offsets can be written first (time).
  bool unshare_cgroup = false;
  bool unshare_time = false;
  // type → path to join with setns (pid is joined by the parent, see PidNsGuard).
  std::vector<Namespace> joins;
  std::string pid_path;
  // A user namespace joined by path: joined last (JoinUserNamespaceLate), once
  // the rootfs is set up with the host's rights (mount sources and the bundle
  // may be out of the namespace's reach). Not in `joins`.
  std::string user_path;
  bool new_user = false;
  bool any_user = false;  // new or joined: devices are bind mounted, not made
};

// Pure: decides from the spec. InvalidArgument for a new user namespace
// without mappings, or mappings without a user namespace.
absl::StatusOr<NsPlan> PlanNamespaces(const Spec& spec);

// In the child: setns into every joined namespace but the user namespace
// (see NsPlan::user_path), with the host's rights.
absl::Status JoinNamespaces(const std::vector<Namespace>& joins);
// NsPlan::user_path: the child joins it last, as its process is finalised
// (ProcessSetup::late_userns_fd), and becomes its root; it keeps the mount,
// pid and cgroup namespaces made with the host's rights, and has the
// capabilities the spec gives only inside the user namespace.
// Opened before the rootfs is set up, while the path still resolves on the
// host; the join is ProcessSetup::late_userns_fd. An invalid fd when none.
absl::StatusOr<sys::UniqueFd> OpenLateUserNamespace(const NsPlan& plan);
// In the child: unshare the cgroup and/or time namespaces and write time offsets.
absl::Status UnshareLate(const NsPlan& plan, const std::map<std::string, TimeOffset>& offsets);

// Parent: writes /proc/<pid>/uid_map and gid_map.
absl::Status WriteIdMaps(pid_t pid, const std::vector<IdMapping>& uids,
                         const std::vector<IdMapping>& gids);
std::string FormatIdMap(const std::vector<IdMapping>& m);

// Puts the caller's *children* into a pid namespace (setns changes only
// pid_for_children) and restores the old one on destruction. Used to join a
// container's pid namespace for create and exec without a double fork.
class PidNsGuard {
 public:
  static absl::StatusOr<PidNsGuard> Enter(const std::string& ns_path);
  PidNsGuard() = default;
  PidNsGuard(PidNsGuard&&) = default;
  PidNsGuard& operator=(PidNsGuard&&) = default;
  ~PidNsGuard();

 private:
  sys::UniqueFd saved_;
};

}  // namespace cricket::oci::linux
