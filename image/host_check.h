// What the image layer needs of the host, for `cricketd check`: overlayfs
// (snapshots are overlay mounts) and the registries' auth file. Reads only.
#pragma once

#include <string>
#include <vector>

#include "oci/sys/host_check.h"

namespace cricket::image {

struct HostCheckInput {
  std::string proc = "/proc";
  std::string modules = "/lib/modules";  // <modules>/<release>/kernel/...
  std::string auth_file;                 // registries.auth_file; "" = none
};

// overlayfs registered or loadable; the auth file readable when one is set.
std::vector<sys::CheckResult> CheckHost(const HostCheckInput& in);

}  // namespace cricket::image
