// Pod sandboxes: RunPodSandbox / Stop / Remove / Status / List with pinned
// namespaces (no pause container), CNI networking, the pod's /etc files, and
// recovery from records after a restart. Each multi-step mutation runs under
// a rollback log; a kubelet retry finds the pod it already made.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "oci/sys/rollback.h"
#include "pod/cgroup_parents.h"
#include "oci/sys/unique_fd.h"
#include "pod/events.h"
#include "pod/ids.h"
#include "pod/name_index.h"
#include "pod/paths.h"
#include "pod/sandbox.h"
#include "pod/userns.h"

namespace cricket::network {
class NetworkManager;
struct PodNetwork;
}  // namespace cricket::network

namespace cricket::pod {

class RecordStore;

struct SandboxFilter {
  std::string id_prefix;
  std::optional<SandboxState> state;
  std::map<std::string, std::string> labels;  // all must match
};

// The built-in engine's RuntimeClass handler name, besides "".
inline constexpr char kBuiltinRuntimeHandler[] = "cricket";
// True for "" and kBuiltinRuntimeHandler.
inline bool IsBuiltinRuntimeHandler(const std::string& h) {
  return h.empty() || h == kBuiltinRuntimeHandler;
}

class SandboxManager {
 public:
  struct Options {
    Paths paths;
    std::string host_resolv_path = "/etc/resolv.conf";
    int64_t shm_size_bytes = 64 << 20;  // the kubelet's default /dev/shm size
    EventBus* events = nullptr;         // GetContainerEvents; may be null
    // Pods sharing a pid namespace: cricket-pause; "" → ResolveInfraPath("")
    // (cricketd sets ResolveInfraPath(monitor_path)).
    std::string infra_path;
    bool systemd_cgroup = false;  // cgroup driver, as the containers' specs use it
    std::string cgroup_root = "/sys/fs/cgroup";
    // How long a kubelet retry waits for the same pod's creation in progress.
    absl::Duration creation_wait = absl::Minutes(2);
    // RuntimeClass handlers (issue 18): the configured external ones; the
    // built-in engine ("" and kBuiltinRuntimeHandler) is always there.
    std::vector<std::string> runtime_handlers;
    // The node rebooted since the records were written (a new boot id): no
    // pid or pinned namespace in them means anything; Ready pods are NotReady.
    bool after_reboot = false;
  };
  // What the container layer does for a pod's containers on Stop / Remove.
  using ContainerHook = std::function<absl::Status(const PodId& sandbox_id)>;

  SandboxManager(Options opts, network::NetworkManager* network, RecordStore* records);

  // Rebuilds memory from records: Ready and NotReady pods come back with
  // their IPs (no CNI ADD); a pod caught in Creating is rolled back.
  absl::Status Recover();
  absl::StatusOr<PodId> Run(const runtime::v1::PodSandboxConfig& config,
                            const std::string& runtime_handler);
  // The full id of a known pod for an id or a unique prefix of one (as the
  // CRI allows): NotFound, or InvalidArgument when the prefix is ambiguous.
  absl::StatusOr<PodId> Resolve(const std::string& id_or_prefix) const;
  // The calls below take full ids (from Run or Resolve); NotFound when the
  // pod is gone. Stop and Remove are idempotent.
  absl::Status Stop(const PodId& id);
  absl::Status Remove(const PodId& id);
  absl::StatusOr<Sandbox> Get(const PodId& id) const;
  std::vector<Sandbox> List(const SandboxFilter& filter) const;
  void SetContainerHooks(ContainerHook stop_all, ContainerHook remove_all);
  // PortForward: a TCP connection made inside the pod's network namespace to
  // its loopback (127.0.0.1, then ::1) on port. NotFound / FailedPrecondition
  // (pod not Ready) / Unavailable naming the port when nothing listens.
  // sandbox_port_forward.cc
  absl::StatusOr<sys::UniqueFd> PortForwardConnect(const PodId& id, uint16_t port);

 private:
  absl::StatusOr<std::optional<PodId>> ReserveOrAwait(const std::string& key, const std::string& id);
  // NotFound naming the handler and the configured ones.
  absl::Status CheckRuntimeHandler(const std::string& handler) const;
  absl::Status Prepare(Sandbox& sb, sys::Rollback& rb);
  absl::Status PinNamespaces(Sandbox& sb, sys::Rollback& rb);
  // hostUsers: false (sandbox_userns.cc): a user namespace with the kubelet's
  // maps and, owned by it, the pod's net, ipc and uts namespaces; all pinned.
  absl::Status PinUserNamespaces(Sandbox& sb, const UsernsMaps& maps, sys::Rollback& rb);
  absl::Status MountShm(Sandbox& sb, sys::Rollback& rb);
  absl::Status SetUpNetwork(Sandbox& sb, sys::Rollback& rb);
  absl::Status WriteFiles(Sandbox& sb);
  // sandbox_infra.cc
  absl::Status MakeCgroupParent(Sandbox& sb, sys::Rollback& rb);
  absl::Status RecoverKnown(Sandbox& sb);
  // The pod's cgroup parent as CgroupParents tracks it ("" when it does not:
  // the systemd driver, a slice name, or no parent).
  std::string MadeCgroupParentPath(const Sandbox& sb) const;
  absl::Status StartInfraProcess(Sandbox& sb, sys::Rollback& rb);
  absl::Status StopInfraProcess(const Sandbox& sb);
  absl::Status ReleaseInfra(Sandbox& sb);
  static Sandbox WithInfraChecked(Sandbox sb);
  absl::Status Save(const Sandbox& sb);
  void Publish(const Sandbox& sb);
  absl::Status TearDownNetwork(const Sandbox& sb);
  absl::Status ReleaseResources(Sandbox& sb);
  // Fills in the pins and shm a crash made before the record named them.
  void FindUnrecorded(Sandbox& sb) const;
  network::PodNetwork NetworkRequest(const Sandbox& sb) const;
  // Serialises Run/Stop/Remove of one pod.
  std::shared_ptr<absl::Mutex> OpLock(const std::string& id);

  Options opts_;
  network::NetworkManager* network_;
  RecordStore* records_;
  CgroupParents cgroup_parents_;
  NameIndex names_;
  IdIndex ids_;
  mutable absl::Mutex mu_;
  std::map<std::string, Sandbox> sandboxes_;
  std::map<std::string, std::shared_ptr<absl::Mutex>> op_locks_;
  ContainerHook stop_containers_, remove_containers_;
};

}  // namespace cricket::pod
