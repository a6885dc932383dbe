// Where the pod layer keeps things (DESIGN.md "Paths"). Runtime state under
// the state dir is lost at reboot, as pods are; records persist.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace cricket::pod {

struct Paths {
  std::string root;   // persistent, e.g. /var/lib/cricket
  std::string state;  // runtime, e.g. /run/cricket

  std::string Records() const { return absl::StrCat(root, "/records"); }
  // Pinned namespaces, shm, per pod.
  std::string SandboxState(const std::string& id) const { return absl::StrCat(state, "/pods/", id); }
  std::string SandboxNs(const std::string& id) const { return SandboxState(id) + "/ns"; }
  std::string SandboxShm(const std::string& id) const { return SandboxState(id) + "/shm"; }
  // hostname, hosts, resolv.conf: kept with the record so a restart has them.
  std::string SandboxFiles(const std::string& id) const { return absl::StrCat(root, "/pods/", id); }

  // Dirs no host user may enter (mode 0700): pod files bind-mounted writable
  // into containers (a container's root could leave a setuid binary there),
  // pod shm and namespaces, bundles and the engine's state. The root and
  // state dirs themselves stay 0711 for the socket.
  std::vector<std::string> PrivateDirs() const {
    return {Records(),           absl::StrCat(root, "/pods"), absl::StrCat(state, "/pods"),
            state + "/containers", state + "/oci",              state + "/exits"};
  }
};

}  // namespace cricket::pod
