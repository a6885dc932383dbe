// The pod's own user namespace (hostUsers: false). Its net, ipc and uts
// namespaces are made inside it, so it owns them and the container's root
// has its capabilities there (namespaced sysctls, sysfs); the infra process
// joins it first, so it owns the pod's pid namespace too.
#include <sched.h>

#include "oci/sys/pinned_ns.h"
#include "oci/sys/status.h"
#include "oci/sys/userns.h"
#include "pod/sandbox_manager.h"

namespace cricket::pod {

absl::Status SandboxManager::PinUserNamespaces(Sandbox& sb, const UsernsMaps& maps,
                                               sys::Rollback& rb) {
  std::string dir = opts_.paths.SandboxNs(sb.id);
  ASSIGN_OR_RETURN(sys::UserNamespaceHolder holder,
                   sys::UserNamespaceHolder::Start(maps.uid_map, maps.gid_map,
                                                   CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS,
                                                   sb.config.hostname()));
  const std::pair<const char*, std::string*> pins[] = {
      {"user", &sb.userns_path}, {"net", &sb.netns_path},
      {"ipc", &sb.ipc_ns_path},  {"uts", &sb.uts_ns_path}};
  for (const auto& [name, field] : pins) {
    std::string path = dir + "/" + name;
    rb.Add(std::string("unpin ") + name + " namespace",
           [path] { return sys::RemovePinnedNamespace(path); });
    ASSIGN_OR_RETURN(*field, sys::PinNamespaceFile(holder.NsPath(name), dir, name));
  }
  return absl::OkStatus();
}

}  // namespace cricket::pod
