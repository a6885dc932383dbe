// Containers of pod sandboxes: CreateContainer / Start / Stop / Remove /
// Status / List / UpdateContainerResources / ReopenContainerLog / ExecSync,
// on the built-in engine under one cricket-monitor per container, with
// records that survive a cricketd restart (Recover). Thread-safe.
//
// Each container's mutations are serialised by a per-container lock; the
// map is guarded by mu_ and never held across engine or monitor calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "cri/api/api.h"
#include "oci/cgroup/stats.h"
#include "conf/config.h"
#include "oci/runtime.h"
#include "oci/sys/rollback.h"
#include "pod/container.h"
#include "pod/container_paths.h"
#include "pod/events.h"
#include "pod/exit_watcher.h"
#include "pod/ids.h"
#include "pod/image_provider.h"
#include "pod/monitor/runtime/driver.h"
#include "pod/monitor_client.h"
#include "pod/name_index.h"
#include "pod/sandbox_manager.h"
#include "pod/spec/inputs.h"
#include "pod/stream_session.h"

namespace cricket::pod {

class RecordStore;

class ContainerManager {
 public:
  struct Options {
    Paths paths;
    std::string monitor_path;          // cricket-monitor binary
    spec::Defaults defaults;           // capabilities, ulimits, pids limit, cgroup driver
    std::string default_seccomp_path;  // "" = built-in RuntimeDefault
    int64_t log_size_max = -1;         // runtime.log_size_max (issue 19); ≤ 0 = no cap
    std::chrono::milliseconds monitor_timeout = std::chrono::seconds(60);
    std::chrono::seconds kill_grace = std::chrono::seconds(10);  // wait after SIGKILL
    EventBus* events = nullptr;  // GetContainerEvents; may be null
    // RuntimeClass handlers (issue 18): external runtimes by handler name.
    std::map<std::string, conf::RuntimeHandler> runtime_handlers;
    // The node rebooted since the records were written: every container that
    // had not exited is recorded exited, whatever its old pids show now.
    bool after_reboot = false;
    // CDI devices (issue 18): where the CDI spec files are, later dirs
    // overriding earlier ones.
    std::vector<std::string> cdi_spec_dirs = {"/etc/cdi", "/var/run/cdi"};
  };

  ContainerManager(Options opts, SandboxManager* sandboxes, RootfsProvider* images,
                   RecordStore* records);
  ~ContainerManager();

  // What a config reload (issue 19) may change: containers created from now
  // on get it; running ones keep what they were made with.
  struct LiveDefaults {
    std::vector<std::string> capabilities;
    std::vector<spec::Defaults::Ulimit> ulimits;
    std::string seccomp_path;
    int64_t log_size_max = -1;
  };
  void SetLiveDefaults(LiveDefaults d);

  // Rebuilds memory from records, exit files and monitor pid files, then
  // starts watching the exits dir. Call once, after SandboxManager::Recover.
  absl::Status Recover();

  // NotFound (pod, image), FailedPrecondition (pod not Ready), InvalidArgument
  // (bad config), or the engine's error. A retry with the same metadata
  // returns the id made by the first call.
  absl::StatusOr<ContainerId> Create(const PodId& pod_id,
                                     const runtime::v1::ContainerConfig& config,
                                     const runtime::v1::PodSandboxConfig& sandbox_config);
  // The full id of a known container for an id or a unique prefix of one (as
  // the CRI allows): NotFound, or InvalidArgument when the prefix is ambiguous.
  absl::StatusOr<ContainerId> Resolve(const std::string& id_or_prefix) const;
  // The calls below take full ids (from Create or Resolve); NotFound when the
  // container is gone.
  // FailedPrecondition unless Created.
  absl::Status Start(const ContainerId& id);
  // Stop signal (image's, else SIGTERM), up to timeout, then SIGKILL. OK when
  // already exited; timeout_seconds <= 0 kills at once.
  absl::Status Stop(const ContainerId& id, int64_t timeout_seconds);
  // Stops if needed; OK (idempotent) when the container is unknown.
  absl::Status Remove(const ContainerId& id);
  // Sends `signal` (a name or number, as runc's kill takes) to the running
  // container's init (cricket.v1 KillContainer). FailedPrecondition unless
  // Running, InvalidArgument for an unknown signal. container_kill.cc
  absl::Status Kill(const ContainerId& id, const std::string& signal);
  // The record, with a pending exit file applied.
  absl::StatusOr<Container> Get(const ContainerId& id);
  std::vector<Container> List(const ContainerFilter& filter);
  absl::Status UpdateResources(const ContainerId& id,
                               const runtime::v1::LinuxContainerResources& resources);
  // Asks the monitor to reopen the CRI log (SIGUSR1). FailedPrecondition
  // unless Running.
  absl::Status ReopenLog(const ContainerId& id);
  // Runs cmd in the container through `cricket-monitor exec`.
  // DeadlineExceeded on timeout (0 = none).
  absl::StatusOr<ExecResult> ExecSync(const ContainerId& id,
                                      const std::vector<std::string>& cmd,
                                      std::chrono::milliseconds timeout);
  // Streaming exec (cri/streaming): cmd in the container's namespaces and
  // cgroup with its security settings, stdio as fds. FailedPrecondition
  // unless Running. container_stream.cc
  absl::StatusOr<std::unique_ptr<StreamSession>> ExecStream(const ContainerId& id,
                                                            const std::vector<std::string>& cmd,
                                                            const StreamOptions& opts);
  // Attaches to the running container's own stdio through its monitor, the
  // log going on undisturbed. tty must match the container's.
  absl::StatusOr<std::unique_ptr<StreamSession>> Attach(const ContainerId& id,
                                                        const StreamOptions& opts);
  // The OCI spec the container was created with (verbose status).
  absl::StatusOr<nlohmann::json> Spec(const ContainerId& id);
  // cgroup statistics of the container (ContainerStats).
  absl::StatusOr<oci::cgroup::Stats> Stats(const ContainerId& id);
  // SandboxManager hooks: stop / remove every container of a pod.
  absl::Status StopAll(const PodId& pod_id);
  absl::Status RemoveAll(const PodId& pod_id);
  // Called by the exit watcher; public for tests and Recover.
  void OnExit(const ContainerId& id);

  const ContainerPaths& paths() const { return cpaths_; }

 private:
  // container_create.cc
  absl::StatusOr<std::string> CreateLocked(const Sandbox& sb, const std::string& id,
                                           const runtime::v1::ContainerConfig& config,
                                           const runtime::v1::PodSandboxConfig& sandbox_config,
                                           sys::Rollback& rb);
  absl::StatusOr<spec::Output> BuildSpec(const Sandbox& sb, Container& c,
                                         const ResolvedImage& image,
                                         const runtime::v1::PodSandboxConfig& sandbox_config);
  absl::Status MakeBundleDirs(const Container& c, sys::Rollback& rb);
  absl::Status WriteBundle(const Container& c, const spec::Output& out);
  absl::StatusOr<PendingMonitor> SpawnMonitor(const Container& c, sys::Rollback& rb);
  spec::Inputs BaseInputs(const Sandbox& sb, const Container& c) const;
  absl::StatusOr<std::string> PrepareRootfs(const Sandbox& sb, const std::string& id,
                                            const std::string& image_id);
  // container_stop_remove.cc
  absl::Status StopLocked(const std::string& id, int64_t timeout_seconds);
  absl::Status WaitExit(const std::string& id, std::chrono::milliseconds timeout);
  // Engine state gone (init killed), monitor gone, exit file removed.
  absl::Status DeleteInEngine(const std::string& id, const std::string& handler);
  // Everything of a stopped container: engine, rootfs, bundle, record, name.
  absl::Status Cleanup(const Container& c);
  // The exit record when the monitor is gone without writing one.
  absl::Status WriteLostExit(const std::string& id);
  absl::Status ForEachInPod(const PodId& pod_id,
                            const std::function<absl::Status(const ContainerId&)>& fn);
  // container_status.cc / container_recover.cc
  // OK when the container is in the map (a full id may name one removed since).
  absl::Status CheckKnown(const ContainerId& id) const;
  absl::StatusOr<Container> Snapshot(const std::string& id) const;
  absl::Status Save(const Container& c);
  void Publish(const Container& c);
  void Unpublish(const Container& c);
  // Applies <exits>/<id>.json when present; true when it changed the record.
  bool RefreshFromExitFile(const std::string& id);
  absl::Status RecoverOne(Container c);
  // The engine has started it (running or paused), whatever the record says.
  bool EngineStarted(const Container& c);
  std::shared_ptr<absl::Mutex> OpLock(const std::string& id);
  // The runtime of a pod's handler (container_runtime.cc): the built-in
  // engine for "", else the configured external binary; NotFound for a
  // handler the config no longer has.
  absl::StatusOr<driver::DriverConfig> DriverConfigFor(const std::string& handler) const;
  absl::StatusOr<std::unique_ptr<driver::RuntimeDriver>> Driver(const std::string& handler) const;
  absl::StatusOr<std::unique_ptr<driver::RuntimeDriver>> DriverOf(const std::string& id) const;

  LiveDefaults Live() const;

  // opts_'s capabilities, ulimits, seccomp path and log cap are the start-up
  // values; live_ holds the current ones (SetLiveDefaults).
  Options opts_;
  mutable absl::Mutex live_mu_;
  LiveDefaults live_ ABSL_GUARDED_BY(live_mu_);
  ContainerPaths cpaths_;
  SandboxManager* sandboxes_;
  RootfsProvider* images_;
  RecordStore* records_;
  NameIndex names_;
  IdIndex ids_;
  ExitWatcher watcher_;
  mutable absl::Mutex mu_;
  std::map<std::string, Container> containers_;
  std::map<std::string, std::shared_ptr<absl::Mutex>> op_locks_;
};

}  // namespace cricket::pod
