// An external runc-compatible runtime behind the RuntimeDriver interface,
// driven as conmon and CRI-O drive it:
//   <rt> --root R --log L create --bundle B --pid-file F [--console-socket S] <id>
//   <rt> start <id> / kill [--all] <id> <sig> / delete [--force] <id>
//   <rt> exec --detach --pid-file F --process P [--console-socket S] <id>
//   <rt> update --resources J <id>
// with the caller's stdio handed to the container's init (or exec'd
// process), and stats read from the container's cgroup (linux.cgroupsPath
// of its config.json, which runc and crun honour).
#pragma once

#include <memory>

#include "pod/monitor/runtime/driver.h"

namespace cricket::pod::driver {

std::unique_ptr<RuntimeDriver> NewExternalDriver(const DriverConfig& config);

}  // namespace cricket::pod::driver
