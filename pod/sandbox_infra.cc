// The parts of a pod that exist for its cgroups and its shared pid namespace:
// the cgroup parent we make (and remove), the infra process and its pid pin,
// and the liveness check that turns a crashed infra process into NotReady.
#include <vector>

#include "absl/strings/str_cat.h"
#include "oci/sys/log.h"
#include "oci/sys/pinned_ns.h"
#include "oci/sys/status.h"
#include "pod/cgroup_parent.h"
#include "pod/infra_process.h"
#include "pod/sandbox_manager.h"

namespace cricket::pod {
// cgroupfs only: the kubelet normally makes the pod's cgroup itself; when it did
// not (crictl, tests), we make it so the containers and the infra process share
// one parent, and remove what we made with the last pod under it. systemd owns
// its slices.
std::string SandboxManager::MadeCgroupParentPath(const Sandbox& sb) const {
  const std::string& given = sb.config.linux().cgroup_parent();
  bool slice = given.find('/') == std::string::npos;  // a systemd slice name
  if (opts_.systemd_cgroup || slice) return "";
  return PodCgroupParentPath(given, false).value_or("");
}

absl::Status SandboxManager::MakeCgroupParent(Sandbox& sb, sys::Rollback& rb) {
  RETURN_IF_ERROR(PodCgroupParentPath(sb.config.linux().cgroup_parent(), opts_.systemd_cgroup).status());
  std::string path = MadeCgroupParentPath(sb);
  if (path.empty()) return absl::OkStatus();
  rb.Add("release pod cgroup " + path,
         [this, path, id = sb.id] { return cgroup_parents_.Release(id, path); });
  return cgroup_parents_.Use(sb.id, path);
}

absl::Status SandboxManager::StartInfraProcess(Sandbox& sb, sys::Rollback& rb) {
  if (!sb.shares_pid()) return absl::OkStatus();
  InfraSpec s;
  s.pause_path = opts_.infra_path.empty() ? ResolveInfraPath("") : opts_.infra_path;
  s.pod_id = sb.id;
  s.netns_path = sb.netns_path;
  s.ipc_ns_path = sb.ipc_ns_path;
  s.uts_ns_path = sb.uts_ns_path;
  s.userns_path = sb.userns_path;
  s.ns_dir = opts_.paths.SandboxNs(sb.id);
  ASSIGN_OR_RETURN(s.cgroups_path, InfraCgroupsPath(sb.config.linux().cgroup_parent(),
                                                    opts_.systemd_cgroup, sb.id));
  s.systemd_cgroup = opts_.systemd_cgroup;
  s.cgroup_root = opts_.cgroup_root;
  s.log_path = opts_.paths.SandboxState(sb.id) + "/infra.log";
  InfraState st;
  // The record names the cgroup before it exists: a crash in between is undone by Recover.
  sb.infra_cgroups_path = s.cgroups_path;
  RETURN_IF_ERROR(Save(sb));
  RETURN_IF_ERROR(sys::Annotate(StartInfra(s, &st, rb), "infra process"));
  sb.infra_pid = st.pid;
  sb.infra_start_time = st.start_time;
  sb.pid_ns_path = st.pid_ns_path;
  return absl::OkStatus();
}

// Order matters: the containers are gone (the caller stopped them); PID 1 goes
// last, since its death SIGKILLs everything left in the pid namespace.
absl::Status SandboxManager::StopInfraProcess(const Sandbox& sb) {
  if (sb.infra_pid <= 0) return absl::OkStatus();
  return StopInfra(sb.infra_pid, sb.infra_start_time);
}

absl::Status SandboxManager::ReleaseInfra(Sandbox& sb) {
  RETURN_IF_ERROR(StopInfraProcess(sb));
  if (!sb.pid_ns_path.empty()) {
    RETURN_IF_ERROR(sys::RemovePinnedNamespace(sb.pid_ns_path));
  } else if (sb.shares_pid()) {
    // A crash between pin and record leaves the pin where it always goes.
    RETURN_IF_ERROR(sys::RemovePinnedNamespace(opts_.paths.SandboxNs(sb.id) + "/pid"));
  }
  sb.pid_ns_path.clear();
  RETURN_IF_ERROR(DestroyInfraCgroup(sb.infra_cgroups_path, opts_.systemd_cgroup,
                                     opts_.cgroup_root, sb.id));
  sb.infra_cgroups_path.clear();
  std::string parent = MadeCgroupParentPath(sb);
  if (!parent.empty()) RETURN_IF_ERROR(cgroup_parents_.Release(sb.id, parent));
  return absl::OkStatus();
}

// A Ready pod whose infra process died is reported NotReady (the kubelet then
// recreates it): its pid namespace cannot take new containers any more.
Sandbox SandboxManager::WithInfraChecked(Sandbox sb) {
  if (sb.state() == SandboxState::kReady && sb.infra_pid > 0 &&
      !InfraAlive(sb.infra_pid, sb.infra_start_time)) {
    // Ready → NotReady is an edge of the table (Ready was checked above).
    if (sb.TransitionTo(SandboxState::kNotReady).ok()) {
      sb.not_ready_reason = absl::StrCat("infra process (pid ", sb.infra_pid, ") exited");
    }
  }
  return sb;
}

}  // namespace cricket::pod
