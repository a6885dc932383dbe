// `cricket-monitor exec --stream`: the parent of one streaming exec process
// (cricketd's threads never fork engine code). Protocol on --control-fd, a
// unix stream socket to cricketd, one JSON line each way it matters:
//   helper → cricketd: {"pid":N} once running, or {"error":"...","code":N};
//                      then {"exit_code":N} (128+signal when killed).
//   cricketd → helper: EOF (shutdown or cricketd gone) = kill the process tree.
#pragma once

#include "pod/monitor/args.h"

namespace cricket::pod::monitor {

int ExecStream(const ExecArgs& args);

}  // namespace cricket::pod::monitor
