// What runs in the container's init between clone and execve, one function
// per step (see sync.h for the handshake), plus the process finalization
// that `exec` shares: stdio/terminal, rlimits, user, capabilities,
// no_new_privs, seccomp, cwd, and the PATH lookup inside the container.
//
// These functions run only in a freshly cloned child of a single-threaded
// caller: allocation is safe there. They never return to the caller: on
// error the status goes up the sync socket and the child _exits.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/linux/mounts.h"
#include "oci/linux/namespaces.h"
#include "oci/linux/sync.h"
#include "oci/spec.h"

namespace cricket::oci::linux {

struct ProcessSetup {
  const Process* process = nullptr;
  const Seccomp* seccomp = nullptr;  // nullptr: none
  int console_fd = -1;               // connected console socket, for a terminal
  int stdio[3] = {0, 1, 2};
  int preserve_fds = 0;          // fds 3..3+N-1 stay open across exec
  std::vector<std::string> env;  // final environment
  // A user namespace to join late (NsPlan::user_path, or a container's for
  // exec): after rlimits, oom_score_adj and AppArmor, which need the host's
  // rights over /proc/self, before the uid switch. -1: none.
  int late_userns_fd = -1;
};

struct InitConfig {
  const Spec* spec = nullptr;
  std::string rootfs;  // absolute
  NsPlan ns;
  std::vector<MountStep> mounts;
  bool setup_dev = false;
  bool no_pivot = false;
  int fifo_fd = -1;  // <state>/exec.fifo opened O_RDWR; init reads the start byte
  // Cgroup dirs init joins by itself, first thing (cgroup::JoinSelf); empty
  // when the parent adds it instead (Manager::SelfJoinDirs).
  std::vector<std::string> cgroup_self_join;
  ProcessSetup proc;
};

// The container init: never returns.
[[noreturn]] void RunInit(const InitConfig& c, SyncSocket& sock);

// Applies the process spec to the calling process (terminal or stdio, rlimits,
// user, capabilities, no_new_privs, seccomp, cwd) and returns the resolved
// executable path. Used by RunInit and by exec's child.
absl::StatusOr<std::string> FinalizeProcess(const ProcessSetup& p);

// Makes preserve_fds survive exec and closes the rest, then execve.
// Returns only on failure.
absl::Status ExecProcess(const ProcessSetup& p, const std::string& path);

// PATH lookup of args[0] inside the current root (with env's PATH).
absl::StatusOr<std::string> LookPath(const std::string& name, const std::vector<std::string>& env);

}  // namespace cricket::oci::linux
