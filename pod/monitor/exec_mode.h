// `cricket-monitor exec`: ExecSync in a helper process, so cricketd's threads
// never fork engine code. Prints one JSON line on stdout:
//   {"exit_code":N,"timed_out":false,"stdout":"<base64>","stderr":"<base64>"}
// or {"error":"...","code":N} when the process could not be started.
#pragma once

#include "pod/monitor/args.h"

namespace cricket::pod::monitor {

int Exec(const ExecArgs& args);

}  // namespace cricket::pod::monitor
