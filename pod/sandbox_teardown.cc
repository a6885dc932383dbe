// StopPodSandbox, RemovePodSandbox, lookups, and recovery after a restart.
#include <sys/mount.h>

#include "absl/strings/str_cat.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/pinned_ns.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/status.h"
#include "pod/record_store.h"
#include "pod/sandbox_manager.h"

namespace cricket::pod {
namespace {

constexpr char kKind[] = "sandboxes";

// Between the steps of StopPodSandbox and RemovePodSandbox (tests/e2e/crash).
CRICKET_DEFINE_FAILPOINT(kStopContainersStopped, "pod.stop.containers_stopped");
CRICKET_DEFINE_FAILPOINT(kStopInfraStopped, "pod.stop.infra_stopped");
CRICKET_DEFINE_FAILPOINT(kStopNetworkDown, "pod.stop.network_down");
CRICKET_DEFINE_FAILPOINT(kStopNetnsUnpinned, "pod.stop.netns_unpinned");
CRICKET_DEFINE_FAILPOINT(kRemoveContainersRemoved, "pod.remove.containers_removed");
CRICKET_DEFINE_FAILPOINT(kRemoveInfraReleased, "pod.remove.infra_released");
CRICKET_DEFINE_FAILPOINT(kRemoveNetworkDown, "pod.remove.network_down");
CRICKET_DEFINE_FAILPOINT(kRemoveNsUnpinned, "pod.remove.namespaces_unpinned");
CRICKET_DEFINE_FAILPOINT(kRemoveDirsRemoved, "pod.remove.dirs_removed");
CRICKET_DEFINE_FAILPOINT(kRemoveRecordDeleted, "pod.remove.record_deleted");

bool Matches(const Sandbox& sb, const SandboxFilter& f) {
  if (!f.id_prefix.empty() && sb.id.compare(0, f.id_prefix.size(), f.id_prefix) != 0) return false;
  if (f.state && sb.state() != *f.state) return false;
  for (const auto& [k, v] : f.labels) {
    auto it = sb.config.labels().find(k);
    if (it == sb.config.labels().end() || it->second != v) return false;
  }
  return true;
}

absl::Status UnmountIfMounted(const std::string& path) {
  if (path.empty() || !sys::IsMountPoint(path)) return absl::OkStatus();
  return sys::Unmount(path, MNT_DETACH);
}

}  // namespace

absl::StatusOr<PodId> SandboxManager::Resolve(const std::string& id_or_prefix) const {
  ASSIGN_OR_RETURN(std::string id, ids_.Resolve(id_or_prefix));
  return PodId(std::move(id));
}

absl::StatusOr<Sandbox> SandboxManager::Get(const PodId& id) const {
  absl::MutexLock l(&mu_);
  auto it = sandboxes_.find(id.str());
  if (it == sandboxes_.end()) {
    return absl::NotFoundError(absl::StrCat("pod sandbox ", id.str(), " not found"));
  }
  return WithInfraChecked(it->second);
}

std::vector<Sandbox> SandboxManager::List(const SandboxFilter& filter) const {
  absl::MutexLock l(&mu_);
  std::vector<Sandbox> out;
  for (const auto& [id, sb] : sandboxes_) {
    Sandbox checked = WithInfraChecked(sb);
    if (Matches(checked, filter)) out.push_back(std::move(checked));
  }
  return out;
}

absl::Status SandboxManager::Stop(const PodId& id) {
  ASSIGN_OR_RETURN(Sandbox sb, Get(id));
  auto lock = OpLock(sb.id);
  absl::MutexLock op(lock.get());
  ASSIGN_OR_RETURN(sb, Get(id));  // the state may have changed while we waited
  FindUnrecorded(sb);
  if (stop_containers_) {
    RETURN_IF_ERROR(sys::Annotate(stop_containers_(id), "stop pod %s", sb.id));
  }
  RETURN_IF_ERROR(sys::Failpoint(kStopContainersStopped));
  RETURN_IF_ERROR(sys::Annotate(StopInfraProcess(sb), "stop pod %s", sb.id));
  RETURN_IF_ERROR(sys::Failpoint(kStopInfraStopped));
  // As containerd does: the network and its namespace go at stop; the rest at remove.
  RETURN_IF_ERROR(sys::Annotate(TearDownNetwork(sb), "stop pod %s", sb.id));
  RETURN_IF_ERROR(sys::Failpoint(kStopNetworkDown));
  if (!sb.netns_path.empty()) {
    RETURN_IF_ERROR(sys::RemovePinnedNamespace(sb.netns_path));
    sb.netns_path.clear();
  }
  RETURN_IF_ERROR(sys::Failpoint(kStopNetnsUnpinned));
  if (sb.state() != SandboxState::kNotReady) {
    RETURN_IF_ERROR(sb.TransitionTo(SandboxState::kNotReady));
    RETURN_IF_ERROR(Save(sb));
    sys::LogInfo("pod sandbox stopped", {{"id", sb.id}});
  }
  Publish(sb);
  return absl::OkStatus();
}

// A crash between a step of Run and the record's next save leaves things the
// record does not name yet; they are where Prepare always puts them, so
// teardown finds them by the pod's id. Only complete pins and mounts count: a
// CNI ADD ran only once the net pin was mounted.
void SandboxManager::FindUnrecorded(Sandbox& sb) const {
  auto pin = [](std::string* field, const std::string& path) {
    if (field->empty() && sys::IsPinnedNamespace(path)) *field = path;
  };
  std::string ns = opts_.paths.SandboxNs(sb.id);
  if (!sb.host_network()) {
    pin(&sb.netns_path, ns + "/net");
    pin(&sb.uts_ns_path, ns + "/uts");
  }
  if (!sb.host_ipc()) pin(&sb.ipc_ns_path, ns + "/ipc");
  pin(&sb.userns_path, ns + "/user");
  std::string shm = opts_.paths.SandboxShm(sb.id);
  if (sb.shm_path.empty() && sys::IsMountPoint(shm)) sb.shm_path = shm;
}

absl::Status SandboxManager::ReleaseResources(Sandbox& sb) {
  FindUnrecorded(sb);
  RETURN_IF_ERROR(ReleaseInfra(sb));
  RETURN_IF_ERROR(sys::Failpoint(kRemoveInfraReleased));
  RETURN_IF_ERROR(TearDownNetwork(sb));
  RETURN_IF_ERROR(sys::Failpoint(kRemoveNetworkDown));
  for (std::string* p : {&sb.netns_path, &sb.ipc_ns_path, &sb.uts_ns_path, &sb.userns_path}) {
    RETURN_IF_ERROR(sys::RemovePinnedNamespace(*p));
    p->clear();
  }
  RETURN_IF_ERROR(sys::Failpoint(kRemoveNsUnpinned));
  RETURN_IF_ERROR(UnmountIfMounted(sb.shm_path));
  RETURN_IF_ERROR(sys::RemoveAll(opts_.paths.SandboxState(sb.id)));
  RETURN_IF_ERROR(sys::RemoveAll(opts_.paths.SandboxFiles(sb.id)));
  return sys::Failpoint(kRemoveDirsRemoved);
}

absl::Status SandboxManager::Remove(const PodId& id) {
  auto found = Get(id);
  if (found.status().code() == absl::StatusCode::kNotFound) return absl::OkStatus();  // idempotent
  ASSIGN_OR_RETURN(Sandbox sb, found);
  auto lock = OpLock(sb.id);
  absl::MutexLock op(lock.get());
  if (remove_containers_) {
    RETURN_IF_ERROR(sys::Annotate(remove_containers_(id), "remove pod %s", sb.id));
  }
  RETURN_IF_ERROR(sys::Failpoint(kRemoveContainersRemoved));
  RETURN_IF_ERROR(sys::Annotate(ReleaseResources(sb), "remove pod %s", sb.id));
  RETURN_IF_ERROR(records_->Delete(kKind, sb.id));
  RETURN_IF_ERROR(sys::Failpoint(kRemoveRecordDeleted));
  names_.Release(sb.name_key);
  {
    absl::MutexLock l(&mu_);
    sandboxes_.erase(sb.id);
    ids_.Remove(sb.id);
    op_locks_.erase(sb.id);
  }
  if (opts_.events) opts_.events->SandboxRemoved(sb);
  sys::LogInfo("pod sandbox removed", {{"id", sb.id}});
  return absl::OkStatus();
}

absl::Status SandboxManager::Recover() {
  ASSIGN_OR_RETURN(auto loaded, records_->LoadAll(kKind));
  // Pods caught mid-creation are rolled back once every other pod is known:
  // their cgroup teardown must see the pods that share a parent with them.
  std::vector<Sandbox> interrupted;
  for (auto& rec : loaded) {
    auto sb = Sandbox::FromJson(rec.body);
    if (!sb.ok()) {
      records_->Quarantine(kKind, rec.id, sb.status().ToString());
      continue;
    }
    if (sb->state() == SandboxState::kCreating) {
      interrupted.push_back(*std::move(sb));
      continue;
    }
    RETURN_IF_ERROR(RecoverKnown(*sb));
  }
  for (Sandbox& sb : interrupted) {
    if (!sb.legacy_created_cgroup_parent.empty()) {
      RETURN_IF_ERROR(cgroup_parents_.Adopt(sb.legacy_created_cgroup_parent));
    }
    // Cut short by a crash: finish the rollback the crash interrupted.
    absl::Status st = ReleaseResources(sb);
    if (st.ok()) st = records_->Delete(kKind, sb.id);
    sys::LogInfo("rolled back pod caught mid-creation",
                 {{"id", sb.id}, {"result", st.ok() ? "ok" : st.ToString()}});
    if (st.ok()) continue;
    RETURN_IF_ERROR(sb.TransitionTo(SandboxState::kNotReady));
    sb.not_ready_reason = std::string(st.message());
    RETURN_IF_ERROR(RecoverKnown(sb));
  }
  // Made parents no pod uses: a crash came between a pod's removal and theirs.
  RETURN_IF_ERROR(cgroup_parents_.RemoveUnused());
  sys::LogInfo("pod sandboxes recovered", {{"count", std::to_string(loaded.size())}});
  return absl::OkStatus();
}

// A pod record that survives recovery: checked against what a reboot or a
// crash of its infra process changed, then published.
absl::Status SandboxManager::RecoverKnown(Sandbox& sb) {
  if (sb.state() == SandboxState::kReady && opts_.after_reboot) {
    RETURN_IF_ERROR(sb.TransitionTo(SandboxState::kNotReady));
    sb.not_ready_reason = "node rebooted";
    RETURN_IF_ERROR(Save(sb));
  }
  // A pinned namespace lost with /run (a reboot) leaves the pod NotReady.
  if (sb.state() == SandboxState::kReady && !sb.netns_path.empty() &&
      !sys::PathExists(sb.netns_path)) {
    RETURN_IF_ERROR(sb.TransitionTo(SandboxState::kNotReady));
    sb.not_ready_reason = "network namespace lost (node rebooted?)";
    RETURN_IF_ERROR(Save(sb));
  }
  if (sb.state() == SandboxState::kReady && sb.infra_pid > 0) {
    Sandbox checked = WithInfraChecked(sb);
    if (checked.state() != SandboxState::kReady) {
      sb = checked;
      RETURN_IF_ERROR(Save(sb));
    }
  }
  if (!sb.legacy_created_cgroup_parent.empty()) {
    RETURN_IF_ERROR(cgroup_parents_.Adopt(sb.legacy_created_cgroup_parent));
  }
  std::string parent = MadeCgroupParentPath(sb);
  if (!parent.empty()) cgroup_parents_.Known(sb.id, parent);
  RETURN_IF_ERROR(names_.Reserve(sb.name_key, sb.id));
  Publish(sb);
  return absl::OkStatus();
}

}  // namespace cricket::pod
