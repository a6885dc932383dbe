// The OCI runtime a container runs on, behind one interface: the built-in
// engine (oci::Runtime, in-process) or an external runc-compatible binary
// (runc, crun, kata's, runsc) driven through its command line as conmon and
// CRI-O drive it. cricket-monitor creates and execs through it; cricketd
// starts, kills, deletes, updates and reads stats through it. Which one a
// container uses is its pod's RuntimeClass handler (conf runtime_handlers).
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/cgroup/resources.h"
#include "oci/cgroup/stats.h"
#include "oci/runtime.h"

namespace cricket::pod::driver {

struct DriverConfig {
  std::string root;  // the runtime's state dir (--root)
  bool systemd_cgroup = false;
  std::string external;              // a runc-compatible binary; "" = the built-in engine
  std::vector<std::string> options;  // the external binary's global flags, before the verb
};

// The container's stdio as the caller holds it. console_socket_fd, when set,
// is a connected unix socket that receives the pty master (SCM_RIGHTS).
struct CreateIo {
  int stdin_fd = -1, stdout_fd = -1, stderr_fd = -1;
  int console_socket_fd = -1;
};

class RuntimeDriver {
 public:
  virtual ~RuntimeDriver() = default;
  // Sets up the container from bundle/config.json, its init waiting for
  // Start. The caller must be init's parent or a child subreaper: init is its
  // child once this returns. Returns init's pid.
  virtual absl::StatusOr<pid_t> Create(const std::string& id, const std::string& bundle,
                                       const CreateIo& io) = 0;
  virtual absl::Status Start(const std::string& id) = 0;
  // NotFound when the container is unknown, FailedPrecondition when it is
  // not running.
  virtual absl::Status Kill(const std::string& id, int signal, bool all) = 0;
  // NotFound when the runtime has no state for id.
  virtual absl::Status Delete(const std::string& id, bool force) = 0;
  // Starts opts.args (or opts.process_json) in the container; the caller is
  // the process's parent once this returns (it must be a child subreaper for
  // an external runtime, which Exec makes it). Returns the process's pid.
  virtual absl::StatusOr<pid_t> Exec(const std::string& id, const oci::ExecOptions& opts) = 0;
  virtual absl::Status Update(const std::string& id, const oci::cgroup::Resources& r) = 0;
  virtual absl::StatusOr<oci::cgroup::Stats> Stats(const std::string& id) = 0;
  // The runtime's own view: "created", "running", "paused" or "stopped"
  // (recovery asks it when a record may be behind, e.g. after a crash).
  virtual absl::StatusOr<std::string> Status(const std::string& id) = 0;
};

std::unique_ptr<RuntimeDriver> MakeDriver(const DriverConfig& config);

// cricket-monitor's flags that select an external runtime (--runtime=,
// --runtime-option= once per option); none for the built-in engine. The
// monitor reads them back with ParseArgs (pod/monitor/args.h).
std::vector<std::string> ExternalRuntimeFlags(const DriverConfig& config);

}  // namespace cricket::pod::driver
