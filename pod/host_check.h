// What the pod layer needs of the host, for `cricketd check`: the monitor
// binary it starts per container and the seccomp profile it loads. Reads only.
#pragma once

#include <string>
#include <vector>

#include "conf/config.h"
#include "oci/sys/host_check.h"

namespace cricket::pod {

// `monitor_path` is the cricket-monitor cricketd would start (the daemon
// resolves runtime.monitor_path or finds it next to itself).
std::vector<sys::CheckResult> CheckHost(const conf::Config& config,
                                        const std::string& monitor_path);

}  // namespace cricket::pod
