// `cricket-monitor run`: detach, create the container in-process, report the
// outcome on the sync fd, supervise it, and write the exit file.
#pragma once

#include "pod/monitor/args.h"

namespace cricket::pod::monitor {

// Returns the process exit code.
int Run(const RunArgs& args);

}  // namespace cricket::pod::monitor
