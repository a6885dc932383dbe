// clone3 with CLONE_PIDFD and namespace flags: a fork that can make new
// namespaces in one step and hands back a pidfd for race-free signalling.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci::linux {

struct Cloned {
  pid_t pid = -1;
  sys::UniqueFd pidfd;
};

// Runs `child` in a new process created with `flags` (CLONE_NEW*); the child
// _exits with its return value and never returns here. No CLONE_VM: the
// child has its own copy of memory, like fork.
absl::StatusOr<Cloned> CloneProcess(uint64_t flags, const std::function<int()>& child);

}  // namespace cricket::oci::linux

namespace cricket::oci::linux {

// SIGKILL through the pidfd (or pid when pidfd < 0) and reap: the undo of a
// clone whose setup failed.
absl::Status KillAndReap(pid_t pid, int pidfd);

}  // namespace cricket::oci::linux
