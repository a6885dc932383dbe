// Once the container exists, cricket-monitor execs the lean
// cricket-monitor-supervise in its own place: the same pid, so it stays init's
// parent, the subreaper and the pid in monitor.pid, but without the engine's
// ~40 shared libraries and heap (a few hundred KiB of RSS instead of ~4 MiB).
// Blocked and pending signals and the open fds carry over the execve.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "pod/monitor/args.h"
#include "pod/monitor/attach.h"
#include "pod/monitor/finish.h"
#include "pod/monitor/log_writer.h"
#include "pod/monitor/stdio.h"

namespace cricket::pod::monitor {

// cricket-monitor-supervise next to our own binary.
std::string SupervisorPath();

// The supervisor's command line for these fds (exposed for tests).
std::vector<std::string> SupervisorArgv(const std::string& path, const RunArgs& a,
                                        const Supervised& s, const Stdio& stdio,
                                        const LogWriter& log, const AttachServer& attach);

// Returns only when the exec failed; the caller then supervises in-process.
absl::Status ExecSupervisor(const RunArgs& a, const Supervised& s, const Stdio& stdio,
                            const LogWriter& log, const AttachServer& attach);

}  // namespace cricket::pod::monitor
