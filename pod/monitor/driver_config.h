// The runtime driver (pod/monitor/runtime/driver.h) a monitor mode's flags
// select: the built-in engine, or the external binary of --runtime.
#pragma once

#include "pod/monitor/args.h"
#include "pod/monitor/runtime/driver.h"

namespace cricket::pod::monitor {

driver::DriverConfig DriverConfigOf(const RunArgs& a);
driver::DriverConfig DriverConfigOf(const ExecArgs& a);

}  // namespace cricket::pod::monitor
