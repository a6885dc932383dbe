// Namespaced sysctls only: anything else would change the host.
#include "oci/linux/sysctl.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::linux {

absl::Status ValidateSysctl(const std::string& key, const SysctlNamespaces& ns) {
  auto starts = [&](const char* p) { return key.rfind(p, 0) == 0; };
  static const char* kIpcKeys[] = {"kernel.msgmax", "kernel.msgmnb",         "kernel.msgmni",
                                   "kernel.sem",    "kernel.shmall",         "kernel.shmmax",
                                   "kernel.shmmni", "kernel.shm_rmid_forced"};
  bool ipc_key = starts("fs.mqueue.") || std::any_of(std::begin(kIpcKeys), std::end(kIpcKeys),
                                                     [&](const char* k) { return key == k; });
  if (ipc_key) {
    if (!ns.ipc) return absl::InvalidArgumentError("sysctl " + key + " needs an ipc namespace");
    return absl::OkStatus();
  }
  if (starts("net.")) {
    if (!ns.net) return absl::InvalidArgumentError("sysctl " + key + " needs a network namespace");
    return absl::OkStatus();
  }
  if (key == "kernel.hostname" || key == "kernel.domainname") {
    if (!ns.uts) return absl::InvalidArgumentError("sysctl " + key + " needs a uts namespace");
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError("sysctl " + key + " is not namespaced: refused");
}

absl::Status ApplySysctls(const std::map<std::string, std::string>& sysctl) {
  for (const auto& [key, value] : sysctl) {
    std::string path = "/proc/sys/" + key;
    std::replace(path.begin() + 10, path.end(), '.', '/');
    ASSIGN_OR_RETURN(sys::UniqueFd fd, sys::Open(path, O_WRONLY | O_NOFOLLOW));
    if (::write(fd.get(), value.data(), value.size()) < 0) {
      return sys::ErrnoStatus(errno, "sysctl %s=%s", key, value);
    }
  }
  return absl::OkStatus();
}

}  // namespace cricket::oci::linux
