// cricket-monitor's own sources that unit_pod tests: the monitor is a program,
// not part of the cricket_pod library, so its pure parts are compiled in here.
#include "pod/monitor/args.cc"      // NOLINT(build/include)
#include "pod/monitor/oom_read.cc"  // NOLINT(build/include)
