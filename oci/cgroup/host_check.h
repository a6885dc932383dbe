// The host's cgroups for `cricketd check`: the layout (DetectMode) against
// what the operator asked for, the controllers the engine drives, the driver.
#pragma once

#include <string>
#include <vector>

#include "oci/sys/host_check.h"

namespace cricket::oci::cgroup {

// `version` is auto|v1|v2 and `driver` cgroupfs|systemd (cricket.yaml's
// cgroup section); `systemd_run` exists when systemd is init.
std::vector<sys::CheckResult> CheckHost(const std::string& root, const std::string& version,
                                        const std::string& driver,
                                        const std::string& systemd_run);

}  // namespace cricket::oci::cgroup
