// linux.sysctl: validation against the namespaces the container has (runc's
// rules: only namespaced keys) and writing them under /proc/sys.
#pragma once

#include <map>
#include <string>

#include "absl/status/status.h"

namespace cricket::oci::linux {

struct SysctlNamespaces {
  bool ipc = false;  // own ipc namespace (new or joined)
  bool net = false;  // own network namespace
  bool uts = false;  // own uts namespace
};

// Pure: InvalidArgument naming the key when it is not namespaced, or its
// namespace is the host's.
absl::Status ValidateSysctl(const std::string& key, const SysctlNamespaces& ns);
absl::Status ApplySysctls(const std::map<std::string, std::string>& sysctl);

}  // namespace cricket::oci::linux
