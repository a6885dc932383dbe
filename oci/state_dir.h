// One container's state directory <root>/<id>/: state.json (runc-compatible
// fields plus what later verbs need: cgroup, init start time, the spec) and
// the exec FIFO that holds init until Start.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/runtime.h"

namespace cricket::oci {

// Container ids: not empty, no '/', not "." or "..", no NUL or control
// characters, at most 1024 bytes.
absl::Status ValidateId(const std::string& id);

struct StoredState {
  ContainerState state;          // status is recomputed on read by the runtime
  uint64_t init_start_time = 0;  // /proc/<pid>/stat field 22, guards pid reuse
  std::string cgroups_path;      // what the cgroup manager was given
  bool systemd_cgroup = false;
  bool foreground = false;
  // The config.json the container was created with. Kept in its own file
  // (config.json here, as crun does): most verbs only need the small
  // state.json, and `list` reads one per container.
  nlohmann::json config;
};

class StateDir {
 public:
  StateDir(const std::string& root, const std::string& id) : root_(root), id_(id) {}
  std::string dir() const { return root_ + "/" + id_; }
  std::string state_path() const { return dir() + "/state.json"; }
  std::string config_path() const { return dir() + "/config.json"; }
  std::string fifo_path() const { return dir() + "/exec.fifo"; }

  // mkdir <root>/<id> (AlreadyExists naming the id when it is there).
  absl::Status Create();
  absl::Status MakeFifo();
  bool FifoExists() const;
  // state.json: everything but s.config. WriteConfig writes that, once.
  absl::Status Write(const StoredState& s);
  absl::Status WriteConfig(const nlohmann::json& config);
  // state.json, and config.json too `with_config`. NotFound ("container <id>
  // does not exist") when there is no state.json.
  absl::StatusOr<StoredState> Read(bool with_config) const;
  absl::Status Remove();

 private:
  std::string root_, id_;
};

// Ids of every container with a state dir under root (sorted).
absl::StatusOr<std::vector<std::string>> ListIds(const std::string& root);

// Start time of a process in clock ticks since boot (0 when it is gone).
uint64_t ProcStartTime(pid_t pid);
// True when the process exists and is not a zombie.
bool ProcAlive(pid_t pid);
// Both from one read of /proc/<pid>/stat.
struct ProcInfo {
  bool alive = false;
  uint64_t start_time = 0;
};
ProcInfo ReadProcInfo(pid_t pid);
// Current UTC time as RFC 3339 with nanoseconds ("2026-11-25T03:43:36.123456789Z").
std::string Rfc3339Now();

nlohmann::json StoredStateToJson(const StoredState& s);
absl::StatusOr<StoredState> StoredStateFromJson(const nlohmann::json& j);

}  // namespace cricket::oci
