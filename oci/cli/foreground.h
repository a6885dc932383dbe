// Being the foreground parent of a container process (`run`, `exec` without
// --detach): signals sent to cricket-oci are forwarded to the process, and
// its exit status becomes ours (128+signal when it was killed), as runc does.
#pragma once

#include <sys/types.h>

#include "absl/status/statusor.h"

namespace cricket::oci::cli {

// Makes us a child subreaper, so a process the engine double-forks is
// reparented to us and can be waited for.
void BecomeSubreaper();

// Forwards every catchable signal (but SIGCHLD, SIGWINCH, SIGPIPE, SIGURG) to
// `pid` until it exits; returns its exit code. Other children that exit
// meanwhile are reaped. The signal mask is restored before returning.
absl::StatusOr<int> ForwardSignalsUntilExit(pid_t pid);

}  // namespace cricket::oci::cli
