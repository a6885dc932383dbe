// The supervising half of a monitor's life, shared by cricket-monitor (when
// the lean program cannot be exec'd) and cricket-monitor-supervise: copy the
// container's output until init ends, write the exit file, tell attached
// clients.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

#include "pod/monitor/args.h"
#include "pod/monitor/attach.h"
#include "pod/monitor/log_writer.h"
#include "pod/monitor/stdio.h"

namespace cricket::pod::monitor {

struct Supervised {
  std::string id, exit_file;
  pid_t init_pid = 0;
  int oom_fd = -1;  // oom_counter.h; -1: an OOM kill is reported as a plain kill
  int oom_parent_fd = -1;      // OpenParentOomCounter; -1: none (v1, or unknown)
  uint64_t oom_parent_base = 0;  // its counter when the container was created
};

// Returns the process exit code.
int SuperviseToExit(const Supervised& s, Stdio& stdio, LogWriter& log, AttachServer& attach);

// `supervise` mode: takes over the fds cricket-monitor handed over
// (handoff.h) and supervises to the end.
int SuperviseInherited(const SuperviseArgs& a);

}  // namespace cricket::pod::monitor
