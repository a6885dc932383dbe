// Where the pod layer keeps things (DESIGN.md "Paths"). Runtime state under
// the state dir is lost at reboot, as pods are; records persist.
#pragma once

#include <string>

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
};

}  // namespace cricket::pod
