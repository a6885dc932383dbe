// The start-up handshake between cricketd and `cricket-monitor run`:
//   go socket (--go-fd), cricketd → monitor: one byte once the bundle is
//     complete; EOF instead: cricketd gave up, the monitor exits.
//   sync pipe (--sync-fd), monitor → cricketd: one JSON line, then EOF:
//     {"pid":N,"monitor_pid":M}  the container's init (blocked until Start)
//                                and the detached monitor
//     {"error":"...","code":C}   C an absl::StatusCode; the exec helpers
//                                report their failures in the same form
#pragma once

#include <sys/types.h>

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::pod {

struct MonitorStarted {
  pid_t pid = 0;          // the container's init, blocked until Start
  pid_t monitor_pid = 0;  // the detached monitor
};

// The monitor's lines, newline-terminated. Text that is not UTF-8 is replaced.
std::string SyncStartedLine(const MonitorStarted& s);
std::string SyncErrorLine(const absl::Status& st);

// Parses the monitor's sync line; errors are prefixed "create container <id>".
absl::StatusOr<MonitorStarted> ParseSyncLine(const std::string& id, const std::string& line);

// What a helper's {"error":"...","code":N} report stands for, its text
// prefixed with `what` unless it starts with it (the engine's messages already
// name the container).
absl::Status HelperErrorStatus(const nlohmann::json& j, const std::string& what);

}  // namespace cricket::pod
