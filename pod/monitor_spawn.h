// Starting cricket-monitor from cricketd without fork(): posix_spawn, which
// glibc runs as clone(CLONE_VM | CLONE_VFORK), so cricketd's page tables are
// not copied. fork() of the daemon (a large binary, tens of MiB resident,
// many threads) took ~3 ms of every CreateContainer on a 2-core machine.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::pod {

// The fd numbers the monitor finds the sync pipe and the go socket at.
constexpr int kMonitorSyncFd = 3;
constexpr int kMonitorGoFd = 4;

// Runs argv (argv[0] a path) in a new session with stdin and stdout on
// /dev/null, stderr on stderr_fd (-1: /dev/null), sync_fd at kMonitorSyncFd,
// go_fd (if ≥ 0) at kMonitorGoFd, every other fd closed, default signal
// dispositions and an empty mask.
absl::StatusOr<pid_t> SpawnMonitorProcess(const std::vector<std::string>& argv, int sync_fd,
                                          int go_fd, int stderr_fd);

// Reaps pid, our child, waiting at most timeout; past it the child is killed
// and reaped, and DeadlineExceeded is returned. Its exit code otherwise.
absl::StatusOr<int> ReapChildWithin(pid_t pid, std::chrono::milliseconds timeout);

}  // namespace cricket::pod
