// What the network layer needs of the host, for `cricketd check`: the CNI
// conf dir (the network cricketd would use), its plugin binaries and the
// CNI cache dir. Reads only.
#pragma once

#include <vector>

#include "conf/config.h"
#include "oci/sys/host_check.h"

namespace cricket::network {

std::vector<sys::CheckResult> CheckHost(const conf::Config::Cni& cni);

}  // namespace cricket::network
