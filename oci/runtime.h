// The OCI runtime engine's public API: what cricket-oci's verbs and
// cricket-monitor call. Containers are described by a bundle (config.json +
// rootfs); their state lives in <root>/<id>/ (state.json, exec FIFO).
#pragma once

#include <sys/types.h>

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/cgroup/resources.h"
#include "oci/cgroup/stats.h"
#include "oci/spec.h"

namespace cricket::oci {

struct RuntimeOptions {
  std::string root = "/run/cricket-oci";  // state dir; <root>/<id>/state.json
  bool systemd_cgroup = false;            // cgroupsPath is slice:prefix:name
  std::string log_path;                   // --log (empty: stderr)
  std::string log_format = "text";        // text|json
  bool debug = false;
};

struct CreateOptions {
  std::string id;
  std::string bundle;          // dir holding config.json
  std::string console_socket;  // unix socket that receives the pty master (SCM_RIGHTS)
  std::string pid_file;        // written with the init pid once created
  int preserve_fds = 0;        // fds 3..3+N-1 passed to the container
  bool no_pivot = false;
  bool no_new_keyring = false;
  // stdio of the container process when it has no terminal.
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;
  // For `run` in the foreground: the caller stays the parent of init and
  // waits for it; a terminal (process.terminal without console socket) is
  // wired to the caller's own tty.
  bool foreground = false;
  // Instead of console_socket: an already connected unix socket fd (e.g. one
  // end of a socketpair) that receives the pty master the same way. Lets a
  // foreground caller proxy its own tty. Not closed by the engine.
  int console_socket_fd = -1;
};

// runc's `state` JSON fields.
struct ContainerState {
  std::string oci_version;
  std::string id;
  std::string status;  // creating|created|running|paused|stopped
  pid_t pid = 0;       // 0 when stopped
  std::string bundle;
  std::string rootfs;
  std::string created;  // RFC 3339 with nanoseconds, UTC
  std::string owner;    // "" for root-owned (runc prints "")
  std::map<std::string, std::string> annotations;
};

struct ExecOptions {
  std::string
      process_json;  // an OCI "process" object (as --process gives); empty: build from fields below
  std::vector<std::string> args;
  std::vector<std::string> env;  // added to / overriding the container's process env
  std::string cwd;
  std::optional<std::string> user;  // "uid[:gid]"
  std::vector<std::string> add_caps;
  bool tty = false;
  std::string console_socket;
  bool detach = false;
  std::string pid_file;
  int preserve_fds = 0;
  bool no_new_privs = false;
  int stdin_fd = 0, stdout_fd = 1, stderr_fd = 2;
  int console_socket_fd = -1;  // as CreateOptions::console_socket_fd
  std::optional<ConsoleSize> console_size;  // process.consoleSize, as runc's exec takes it
};

class Runtime {
 public:
  explicit Runtime(RuntimeOptions opts);

  // Sets up the container (namespaces, rootfs, cgroup) and leaves its init
  // blocked on the exec FIFO; returns its pid.
  absl::StatusOr<pid_t> Create(const CreateOptions& opts);
  // Unblocks init so it execs the process.
  absl::Status Start(const std::string& id);
  absl::StatusOr<ContainerState> State(const std::string& id);
  absl::StatusOr<std::vector<ContainerState>> List();
  absl::Status Kill(const std::string& id, int signal, bool all);
  absl::Status Delete(const std::string& id, bool force);
  absl::Status Pause(const std::string& id);
  absl::Status Resume(const std::string& id);
  // Starts a process in the container; returns its pid (the caller is its
  // parent unless opts.detach).
  absl::StatusOr<pid_t> Exec(const std::string& id, const ExecOptions& opts);
  absl::StatusOr<std::vector<pid_t>> Pids(const std::string& id);
  absl::Status Update(const std::string& id, const cgroup::Resources& resources);
  absl::StatusOr<cgroup::Stats> Stats(const std::string& id);

  const RuntimeOptions& options() const { return opts_; }

 private:
  RuntimeOptions opts_;
};

// Parses a signal name or number: "KILL", "SIGKILL", "9".
absl::StatusOr<int> ParseSignal(const std::string& s);

// runc's `state` JSON: ociVersion, id, pid, status, bundle, rootfs, created,
// owner, and annotations when there are any.
nlohmann::json ContainerStateToJson(const ContainerState& s);

}  // namespace cricket::oci
