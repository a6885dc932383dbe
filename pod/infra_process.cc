// Starting, stopping and finding the pod's infra process (see infra_process.h).
#include "pod/infra_process.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "oci/cgroup/manager.h"
#include "oci/sys/fds.h"
#include "oci/sys/fs.h"
#include "oci/sys/pinned_ns.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/spawn_in_namespaces.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::pod {
namespace {

// containerd's WithDefaultSandboxShares: the pause process should never win CPU.
constexpr uint64_t kInfraCpuShares = 2;

absl::StatusOr<std::unique_ptr<oci::cgroup::Manager>> InfraCgroup(const std::string& cgroups_path,
                                                                   bool systemd,
                                                                   const std::string& root,
                                                                   const std::string& pod_id) {
  oci::cgroup::ManagerOptions o;
  o.cgroups_path = cgroups_path;
  o.container_id = pod_id;
  o.systemd = systemd;
  o.root = root;
  return oci::cgroup::NewManager(o);
}

// Bind-mounts /proc/<pid>/ns/pid on <dir>/pid, as the other pod namespaces are pinned.
absl::StatusOr<std::string> PinPidNamespace(pid_t pid, const std::string& dir) {
  RETURN_IF_ERROR(sys::MkdirAll(dir, 0711));
  std::string target = dir + "/pid";
  RETURN_IF_ERROR(sys::Open(target, O_WRONLY | O_CREAT | O_EXCL, 0444).status());
  RETURN_IF_ERROR(sys::Mount(absl::StrCat("/proc/", pid, "/ns/pid"), target, "", MS_BIND));
  return target;
}

absl::StatusOr<sys::UniqueFd> OpenLog(const std::string& path) {
  if (path.empty()) return sys::UniqueFd();
  return sys::Open(path, O_WRONLY | O_CREAT | O_APPEND, 0640);
}

// How long the infra process may take to say it is ready.
constexpr int kReadyTimeoutMs = 10000;

absl::StatusOr<pid_t> Spawn(const InfraSpec& s, int ready_fd) {
  ASSIGN_OR_RETURN(sys::UniqueFd log, OpenLog(s.log_path));
  sys::NamespaceSpawnOptions o;
  o.argv = {s.pause_path, "--ready-fd=3"};
  o.extra_fd = ready_fd;
  for (const std::string* ns : {&s.userns_path, &s.ipc_ns_path, &s.uts_ns_path, &s.netns_path}) {
    if (!ns->empty()) o.join_ns.push_back(*ns);
  }
  o.new_pid_ns = true;
  o.userns_root = !s.userns_path.empty();
  o.stderr_fd = log ? log.get() : -1;
  return sys::SpawnDetachedInNamespaces(o);
}

// The infra process writes one byte once its signal handlers are in place;
// EOF means it ended before that (a crash, or a program that is not a pause).
absl::Status WaitReady(int fd, const InfraSpec& s, pid_t pid) {
  pollfd p{fd, POLLIN, 0};
  int rc;
  while ((rc = ::poll(&p, 1, kReadyTimeoutMs)) < 0 && errno == EINTR) {
  }
  if (rc == 0) {
    return absl::DeadlineExceededError(absl::StrCat("infra process ", s.pause_path, " (pid ", pid,
                                                    ") not ready after ", kReadyTimeoutMs, " ms"));
  }
  char b = 0;
  ssize_t n;
  while ((n = ::read(fd, &b, 1)) < 0 && errno == EINTR) {
  }
  if (n != 1) {
    return absl::FailedPreconditionError(absl::StrCat(
        "infra process ", s.pause_path, " (pid ", pid, ") exited before it was ready"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status StartInfra(const InfraSpec& s, InfraState* out, sys::Rollback& rb) {
  if (::access(s.pause_path.c_str(), X_OK) != 0) {
    return sys::ErrnoStatus(errno, "infra process %s (build cricket-pause next to cricket-monitor)",
                            s.pause_path);
  }
  ASSIGN_OR_RETURN(auto cg, InfraCgroup(s.cgroups_path, s.systemd_cgroup, s.cgroup_root, s.pod_id));
  rb.Add("remove infra cgroup " + s.cgroups_path, [s] {
    return DestroyInfraCgroup(s.cgroups_path, s.systemd_cgroup, s.cgroup_root, s.pod_id);
  });
  RETURN_IF_ERROR(cg->Create());
  oci::cgroup::Resources res;
  res.cpu = oci::cgroup::Cpu{};
  res.cpu->shares = kInfraCpuShares;
  RETURN_IF_ERROR(sys::Annotate(cg->Set(res), "infra cgroup %s", s.cgroups_path));
  ASSIGN_OR_RETURN(sys::PipeFds ready, sys::Pipe("infra readiness"));
  sys::UniqueFd ready_rd = std::move(ready.read), ready_wr = std::move(ready.write);
  ASSIGN_OR_RETURN(pid_t pid, Spawn(s, ready_wr.get()));
  ready_wr.Reset();  // the infra process holds the only write end now
  // Read at once: until it is known, the undo below can only use the pid.
  absl::StatusOr<uint64_t> start = sys::ProcessStartTime(pid);
  if (!start.ok()) {
    return absl::FailedPreconditionError(
        absl::StrCat("infra process ", s.pause_path, " (pid ", pid, ") exited right away"));
  }
  out->pid = pid;
  out->start_time = *start;
  rb.Add(absl::StrCat("stop infra process ", pid), [pid, t = *start] { return StopInfra(pid, t); });
  RETURN_IF_ERROR(WaitReady(ready_rd.get(), s, pid));
  RETURN_IF_ERROR(sys::Annotate(cg->AddProcess(pid), "infra cgroup %s", s.cgroups_path));
  rb.Add("unpin pid namespace", [p = s.ns_dir + "/pid"] { return sys::RemovePinnedNamespace(p); });
  ASSIGN_OR_RETURN(out->pid_ns_path, PinPidNamespace(pid, s.ns_dir));
  if (!InfraAlive(pid, out->start_time)) {
    return absl::FailedPreconditionError(
        absl::StrCat("infra process ", s.pause_path, " (pid ", pid, ") exited during start-up"));
  }
  return absl::OkStatus();
}

absl::Status StopInfra(pid_t pid, uint64_t start_time) {
  absl::Status st = sys::SignalProcessIfSame(pid, start_time, SIGTERM, std::chrono::seconds(2));
  if (absl::IsDeadlineExceeded(st)) {
    st = sys::SignalProcessIfSame(pid, start_time, SIGKILL, std::chrono::seconds(5));
  }
  return sys::Annotate(st, "stop infra process %d", pid);
}

absl::Status DestroyInfraCgroup(const std::string& cgroups_path, bool systemd_cgroup,
                                const std::string& cgroup_root, const std::string& pod_id) {
  if (cgroups_path.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(auto cg, InfraCgroup(cgroups_path, systemd_cgroup, cgroup_root, pod_id));
  return cg->Destroy();
}

bool InfraAlive(pid_t pid, uint64_t start_time) { return sys::ProcessIsSame(pid, start_time); }

std::string ResolveInfraPath(const std::string& monitor_path) {
  std::vector<std::string> cands;
  if (!monitor_path.empty() && monitor_path.find('/') != std::string::npos) {
    cands.push_back(monitor_path.substr(0, monitor_path.rfind('/')) + "/cricket-pause");
  }
  char buf[PATH_MAX];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  std::string dir = n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string("./x");
  dir = dir.substr(0, dir.rfind('/'));
  cands.push_back(dir + "/cricket-pause");
  cands.push_back(dir + "/../pod/cricket-pause");
  for (const std::string& c : cands) {
    if (::access(c.c_str(), X_OK) == 0) return c;
  }
  return cands.front();
}

}  // namespace cricket::pod
