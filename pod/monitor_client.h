// cricketd's side of cricket-monitor: launch one for a container and read
// its sync line under a deadline, and run the ExecSync helper mode.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"
#include "pod/monitor/protocol/sync.h"

namespace cricket::pod {

struct MonitorRequest {
  std::string monitor_path;  // the cricket-monitor binary
  std::string id, bundle, oci_root;
  std::string log_path;     // CRI log; "" = discard output
  std::string exit_file, pid_file;
  std::string monitor_log;  // the monitor's own stderr; "" = /dev/null
  std::string attach_dir;
  bool tty = false, stdin = false, stdin_once = false, systemd_cgroup = false;
  // runtime::ExternalRuntimeFlags of the pod's handler; none = built-in engine.
  std::vector<std::string> runtime_flags;
  int64_t log_size_max = -1;  // runtime.log_size_max; ≤ 0 = no cap
  std::chrono::milliseconds timeout = std::chrono::seconds(60);
};

// The monitor's command line for a request (exposed for tests); go_fd < 0:
// the monitor creates the container at once.
std::vector<std::string> MonitorArgv(const MonitorRequest& r, int sync_fd, int go_fd = -1);

// A monitor spawned before the bundle is complete: it starts up (exec,
// detach, log, stdio, attach socket) while cricketd prepares the rootfs and
// spec, and creates the container on Go(). Destroyed without Go(), it tells
// the monitor to give up (EOF on the go socket) and reaps its first process.
class PendingMonitor {
 public:
  static absl::StatusOr<PendingMonitor> Spawn(const MonitorRequest& r);
  PendingMonitor(PendingMonitor&& o) noexcept;
  PendingMonitor& operator=(PendingMonitor&&) = delete;
  ~PendingMonitor();
  // The bundle is complete: the monitor creates the container and reports.
  // Errors carry the engine's code and text, prefixed with the container id.
  absl::StatusOr<MonitorStarted> Go();

 private:
  PendingMonitor() = default;
  std::string id_;
  std::chrono::milliseconds timeout_{0};
  pid_t first_ = -1;  // the process we spawned; it exits once the monitor detached
  sys::UniqueFd sync_, go_;
};

// Spawn and Go at once, for a bundle that is complete already.
absl::StatusOr<MonitorStarted> LaunchMonitor(const MonitorRequest& r);

struct ExecRequest {
  std::string monitor_path, oci_root, id;
  bool systemd_cgroup = false;
  std::vector<std::string> runtime_flags;  // as MonitorRequest's
  std::vector<std::string> cmd;
  std::chrono::milliseconds timeout{0};  // 0 = none
  size_t max_output = 16 << 20;
};

struct ExecResult {
  int exit_code = 0;
  std::string out, err;
};

// Runs `cricket-monitor exec`. DeadlineExceeded when the command outlived
// the timeout (it was killed).
absl::StatusOr<ExecResult> RunExecHelper(const ExecRequest& r);

// Parses the helper's JSON line (exposed for tests).
absl::StatusOr<ExecResult> ParseExecOutput(const std::string& id, const std::string& line,
                                           std::chrono::milliseconds timeout);
}  // namespace cricket::pod
