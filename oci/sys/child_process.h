// Child processes as handles (pid + pidfd). The destructor of a child that
// was neither waited for nor detached kills and reaps it, so a failed setup
// leaves no process behind. Spawning is fork+exec with nothing but
// async-signal-safe calls in the child, so it is safe from threaded daemons.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::sys {

struct SpawnOptions {
  std::vector<std::string> argv;             // argv[0] is the program; a path or a name in PATH
  std::optional<std::vector<std::string>> env;  // "K=V"; nullopt = inherit
  int stdin_fd = -1;                         // -1 → /dev/null
  int stdout_fd = -1;                        // -1 → /dev/null
  int stderr_fd = -1;                        // -1 → /dev/null; -2 → inherit ours
  std::vector<int> keep_fds;                 // extra fds kept open at the same numbers
  std::string cwd;                           // "" = ours
  bool new_session = false;                  // setsid(): outlives our process group
};

struct ExitInfo {
  int status = 0;  // raw wait status
  bool exited() const;
  int code() const;    // exit code, or 128+signal when killed
  int signal() const;  // 0 unless killed by a signal
};

class ChildProcess {
 public:
  static absl::StatusOr<ChildProcess> Spawn(const SpawnOptions& opts);
  ChildProcess() = default;
  ChildProcess(ChildProcess&& o) noexcept;
  ChildProcess& operator=(ChildProcess&& o) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_.get(); }
  absl::Status Signal(int sig);
  absl::StatusOr<ExitInfo> Wait();
  // DeadlineExceeded when it has not exited in time (it keeps running).
  absl::StatusOr<ExitInfo> WaitFor(std::chrono::milliseconds timeout);
  // Leaves the process running and unreaped by us (e.g. a monitor).
  void Detach();

 private:
  pid_t pid_ = -1;
  UniqueFd pidfd_;
};

struct CommandResult {
  ExitInfo exit;
  std::string out;
  std::string err;
};

// Runs a command to completion, feeding `input` on stdin and capturing stdout
// and stderr (each capped at max_output bytes). On timeout the child is killed
// and DeadlineExceeded is returned naming the command.
absl::StatusOr<CommandResult> RunCommand(const SpawnOptions& opts, const std::string& input = "",
                                         std::chrono::milliseconds timeout = std::chrono::minutes(1),
                                         size_t max_output = 16 << 20);

// Signals a pid we do not hold as a child (for monitors and containers found
// after a restart). ESRCH is reported as NotFound.
absl::Status SignalPid(pid_t pid, int sig);

}  // namespace cricket::sys
