// The parts of a pod that exist for its cgroups and its shared pid namespace:
// the cgroup parent we make (and remove), the infra process and its pid pin,
// and the liveness check that turns a crashed infra process into NotReady.
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "oci/cgroup/detect.h"
#include "oci/cgroup/manager.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/pinned_ns.h"
#include "oci/sys/status.h"
#include "pod/cgroup_parent.h"
#include "pod/infra_process.h"
#include "pod/sandbox_manager.h"

namespace cricket::pod {
namespace {

bool CgroupExists(const std::string& root, const std::string& path) {
  auto mode = oci::cgroup::DetectMode(root);
  if (mode.ok() && *mode == oci::cgroup::CgroupMode::kV2) return sys::PathExists(root + path);
  return sys::PathExists(root + "/memory" + path);
}

absl::StatusOr<std::unique_ptr<oci::cgroup::Manager>> CgroupAt(const std::string& root,
                                                               const std::string& path) {
  oci::cgroup::ManagerOptions o;
  o.cgroups_path = path;
  o.container_id = "pod";
  o.root = root;
  return oci::cgroup::NewManager(o);
}

// The shallowest prefix of `path` that does not exist yet ("" when all do).
std::string FirstMissing(const std::string& root, const std::string& path) {
  std::string prefix;
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    absl::StrAppend(&prefix, "/", std::string(part));
    if (!CgroupExists(root, prefix)) return prefix;
  }
  return "";
}

}  // namespace

// cgroupfs only: the kubelet normally makes the pod's cgroup itself; when it did
// not (crictl, tests), we make it so the containers and the infra process share
// one parent, and remove what we made with the pod. systemd owns its slices.
absl::Status SandboxManager::MakeCgroupParent(Sandbox& sb, sys::Rollback& rb) {
  ASSIGN_OR_RETURN(std::string path,
                   PodCgroupParentPath(sb.config.linux().cgroup_parent(), opts_.systemd_cgroup));
  const std::string& given = sb.config.linux().cgroup_parent();
  bool slice = given.find('/') == std::string::npos;  // a systemd slice name
  if (path.empty() || opts_.systemd_cgroup || slice) return absl::OkStatus();
  std::string top = FirstMissing(opts_.cgroup_root, path);
  if (top.empty()) return absl::OkStatus();
  rb.Add("remove pod cgroup " + top, [this, top] { return RemoveCgroupParent(top); });
  sb.created_cgroup_parent = top;
  RETURN_IF_ERROR(Save(sb));  // recorded first: a crash before Remove still finds it
  ASSIGN_OR_RETURN(auto cg, CgroupAt(opts_.cgroup_root, path));
  return sys::Annotate(cg->Create(), "pod cgroup parent %s", path);
}

absl::Status SandboxManager::RemoveCgroupParent(const std::string& top) {
  if (top.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto cg, CgroupAt(opts_.cgroup_root, top));
  // Never kill here: a parent shared with another pod (tools do that) still
  // holds its processes, and stays until the last one is gone.
  absl::StatusOr<std::vector<pid_t>> pids = cg->Pids();
  if (pids.ok() && !pids->empty()) {
    sys::LogWarn("pod cgroup parent still in use; kept", {{"cgroup", top}});
    return absl::OkStatus();
  }
  return cg->Destroy();
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
  RETURN_IF_ERROR(RemoveCgroupParent(sb.created_cgroup_parent));
  sb.created_cgroup_parent.clear();
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
