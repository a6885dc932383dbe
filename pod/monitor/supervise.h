// The monitor's main loop once the container exists: copy its output into
// the CRI log (and to attached clients), reopen the log on SIGUSR1, reap children (we are their
// subreaper) and return init's wait status when it ends.
#pragma once

#include <sys/types.h>

#include "absl/status/statusor.h"
#include "pod/monitor/attach.h"
#include "pod/monitor/log_writer.h"
#include "pod/monitor/stdio.h"

namespace cricket::pod::monitor {

// Blocks the signals the loop reads through a signalfd. Call only after the
// container init was created: the mask would be inherited otherwise.
absl::Status BlockSignals();

// The OOM counter (oom_counter.h) read while init runs: under the systemd
// driver the scope's cgroup is removed as soon as init exits, often before a
// read after the exit, so each change the kernel signals on the file
// (POLLPRI) is read as it happens and an OOM kill latched.
struct OomWatch {
  int fd = -1;  // -1: not watched
  bool seen = false;
};

// Returns init's raw wait status. Output also goes to attached clients.
absl::StatusOr<int> Supervise(pid_t init_pid, Stdio& stdio, LogWriter& log,
                              AttachServer& attach, OomWatch& oom);

}  // namespace cricket::pod::monitor
