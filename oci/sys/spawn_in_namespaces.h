// Spawning a long-lived process detached from us inside existing namespaces
// (setns) and, optionally, as PID 1 of a new pid namespace — safe from a
// multi-threaded daemon: no engine code, only async-signal-safe calls after fork.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::sys {

struct NamespaceSpawnOptions {
  std::vector<std::string> argv;      // argv[0]: an absolute path
  std::vector<std::string> join_ns;   // namespace files (pinned or /proc/<pid>/ns/*) to setns
  bool new_pid_ns = false;            // the process becomes PID 1 of a new pid namespace
  // After the joins (a user namespace among them): become its uid and gid 0,
  // so the process is not host root (unmapped, shown as nobody) there.
  bool userns_root = false;
  int stderr_fd = -1;                 // -1 → /dev/null
  int extra_fd = -1;                  // handed to the target as fd 3 (a readiness pipe)
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
};

// Design: fork an intermediate child that setns()es into join_ns, unshare()s
// CLONE_NEWPID (legal there: it is single-threaded), _Fork()s the target (PID 1
// of the new namespace), reports its pid over a pipe and exits. The target calls
// setsid() (own session and process group) and execs; it is re-parented to the
// init or subreaper above us, so it outlives us and leaves no zombie with us.
// An exec failure comes back over the same (CLOEXEC) pipe. Returns the pid as
// seen from our pid namespace.
absl::StatusOr<pid_t> SpawnDetachedInNamespaces(const NamespaceSpawnOptions& opts);

// Field 22 of /proc/<pid>/stat (clock ticks since boot): with the pid, it names
// one process for good, so a recycled pid is never mistaken for it.
// NotFound when the process is gone.
absl::StatusOr<uint64_t> ProcessStartTime(pid_t pid);

// Whether `pid` is alive and still the process that started at start_time
// (a zombie counts as gone).
bool ProcessIsSame(pid_t pid, uint64_t start_time);

// Sends `sig` to pid only if it is still the process that started at
// start_time (checked through a pidfd, so there is no race with pid reuse),
// then waits up to `wait` for it to exit. OK when it is gone (or was already);
// DeadlineExceeded when it still runs. A zombie of it is reaped when it is our
// child (we are the init or subreaper it was re-parented to).
absl::Status SignalProcessIfSame(pid_t pid, uint64_t start_time, int sig,
                                 std::chrono::milliseconds wait);

}  // namespace cricket::sys
