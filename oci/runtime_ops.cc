// Runtime verbs on an existing container: State, List, Kill, Delete, Pause,
// Resume, Pids, Update, Stats. Status is computed, never trusted from disk:
// a dead (or reused) init pid means "stopped".
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "oci/linux/hooks.h"
#include "oci/runtime.h"
#include "oci/runtime_internal.h"
#include "oci/spec_json.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::oci {
namespace internal {

std::string ComputeStatus(const StateDir& dir, const StoredState& s) {
  const ProcInfo p = ReadProcInfo(s.state.pid);
  if (!p.alive || (s.init_start_time != 0 && p.start_time != s.init_start_time)) {
    return "stopped";
  }
  if (dir.FifoExists()) return "created";
  if (s.state.status == "paused") return "paused";
  return "running";
}

absl::StatusOr<Loaded> Load(const RuntimeOptions& o, const std::string& id, Need need) {
  RETURN_IF_ERROR(ValidateId(id));
  StateDir dir(o.root, id);
  Loaded l;
  ASSIGN_OR_RETURN(l.stored, dir.Read(/*with_config=*/need == Need::kSpec));
  l.stored.state.status = ComputeStatus(dir, l.stored);
  if (l.stored.state.status == "stopped") l.stored.state.pid = 0;
  if (need == Need::kState) return l;
  auto spec = SpecFromJson(l.stored.config);
  if (!spec.ok()) return sys::Annotate(spec.status(), "stored config of %s", id);
  l.spec = std::move(*spec);
  return l;
}

absl::StatusOr<std::unique_ptr<cgroup::Manager>> AttachCgroup(const StoredState& s) {
  cgroup::ManagerOptions mo;
  mo.cgroups_path = s.cgroups_path;
  mo.container_id = s.state.id;
  mo.systemd = s.systemd_cgroup;
  return cgroup::NewManager(mo);
}

std::string HookState(const ContainerState& s) {
  nlohmann::json j = {{"ociVersion", s.oci_version},
                      {"id", s.id},
                      {"status", s.status},
                      {"pid", s.pid},
                      {"bundle", s.bundle}};
  if (!s.annotations.empty()) j["annotations"] = s.annotations;
  return j.dump();
}

}  // namespace internal

nlohmann::json ContainerStateToJson(const ContainerState& s) {
  nlohmann::json j = {{"ociVersion", s.oci_version}, {"id", s.id},         {"pid", s.pid},
                      {"status", s.status},          {"bundle", s.bundle}, {"rootfs", s.rootfs},
                      {"created", s.created},        {"owner", s.owner}};
  if (!s.annotations.empty()) j["annotations"] = s.annotations;
  return j;
}

absl::StatusOr<ContainerState> Runtime::State(const std::string& id) {
  ASSIGN_OR_RETURN(internal::Loaded l, internal::Load(opts_, id, internal::Need::kState));
  return l.stored.state;
}

absl::StatusOr<std::vector<ContainerState>> Runtime::List() {
  ASSIGN_OR_RETURN(std::vector<std::string> ids, ListIds(opts_.root));
  std::vector<ContainerState> out;
  for (const std::string& id : ids) {
    auto l = internal::Load(opts_, id, internal::Need::kState);
    if (!l.ok()) {
      sys::LogWarn("skipping unreadable container state",
                   {{"id", id}, {"error", std::string(l.status().message())}});
      continue;
    }
    out.push_back(l->stored.state);
  }
  return out;
}

absl::Status Runtime::Kill(const std::string& id, int signal, bool all) {
  ASSIGN_OR_RETURN(internal::Loaded l, internal::Load(opts_, id, internal::Need::kState));
  if (l.stored.state.status == "stopped") {
    return absl::FailedPreconditionError(
        absl::StrCat("kill container ", id, ": container not running"));
  }
  if (all) {
    ASSIGN_OR_RETURN(auto cg, internal::AttachCgroup(l.stored));
    return sys::Annotate(cg->KillAll(signal), "kill container %s", id);
  }
  return sys::Annotate(sys::SignalPid(l.stored.state.pid, signal), "kill container %s", id);
}

namespace {

// Waits until pid is dead (a zombie counts): never reaps it, since the
// caller (cricket-monitor, `run`) may be its parent and want the status.
// A pidfd turns readable when the process exits, child of ours or not;
// polling /proc is the fallback where pidfd_open is missing.
absl::Status WaitGone(pid_t pid, std::chrono::seconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  sys::UniqueFd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
  while (std::chrono::steady_clock::now() < deadline) {
    if (!ProcAlive(pid)) return absl::OkStatus();
    if (!pidfd) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      continue;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    struct pollfd p = {pidfd.get(), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(std::max<int64_t>(left.count(), 0))) < 0 &&
        errno != EINTR) {
      return sys::ErrnoStatus(errno, "wait for init %d", pid);
    }
  }
  return absl::DeadlineExceededError(absl::StrCat("init ", pid, " did not exit"));
}

absl::Status StopAll(internal::Loaded& l, cgroup::Manager& cg) {
  if (l.stored.state.status == "paused") RETURN_IF_ERROR(cg.Thaw());
  pid_t pid = l.stored.state.pid;
  absl::Status st = cg.KillAll(SIGKILL);
  if (!st.ok()) sys::LogWarn("cgroup kill failed", {{"error", std::string(st.message())}});
  if (pid > 0) {
    absl::Status k = sys::SignalPid(pid, SIGKILL);
    if (!k.ok() && !absl::IsNotFound(k)) return k;
    RETURN_IF_ERROR(WaitGone(pid, std::chrono::seconds(10)));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status Runtime::Delete(const std::string& id, bool force) {
  auto loaded = internal::Load(opts_, id, internal::Need::kSpec);  // poststop hooks
  StateDir dir(opts_.root, id);
  // A create that died before writing state.json leaves only the dir; a
  // machine crash can leave state.json empty (it is written without fsync,
  // see StateDir::Write), and with it every process and cgroup is gone.
  bool unreadable = absl::IsNotFound(loaded.status()) || absl::IsDataLoss(loaded.status());
  if (unreadable && force && sys::PathExists(dir.dir())) {
    return sys::Annotate(dir.Remove(), "delete container %s", id);
  }
  if (!loaded.ok()) return loaded.status();
  internal::Loaded& l = *loaded;
  const std::string& status = l.stored.state.status;
  if ((status == "running" || status == "paused") && !force) {
    return absl::FailedPreconditionError(absl::StrCat("delete container ", id,
                                                      ": cannot delete a container that is ",
                                                      status, " (stop it first or use force)"));
  }
  ASSIGN_OR_RETURN(auto cg, internal::AttachCgroup(l.stored));
  if (status != "stopped")
    RETURN_IF_ERROR(sys::Annotate(StopAll(l, *cg), "delete container %s", id));
  RETURN_IF_ERROR(sys::Annotate(cg->Destroy(), "delete container %s: cgroup", id));
  l.stored.state.status = "stopped";
  linux::RunHooksLogged(l.spec.hooks.poststop, internal::HookState(l.stored.state), "poststop");
  return sys::Annotate(dir.Remove(), "delete container %s", id);
}

namespace {

absl::Status SetPaused(const RuntimeOptions& o, const std::string& id, bool pause) {
  ASSIGN_OR_RETURN(internal::Loaded l, internal::Load(o, id, internal::Need::kState));
  const std::string want = pause ? "running" : "paused";
  if (l.stored.state.status != want) {
    return absl::FailedPreconditionError(absl::StrCat(pause ? "pause" : "resume", " container ", id,
                                                      ": container is ", l.stored.state.status));
  }
  ASSIGN_OR_RETURN(auto cg, internal::AttachCgroup(l.stored));
  RETURN_IF_ERROR(pause ? cg->Freeze() : cg->Thaw());
  l.stored.state.status = pause ? "paused" : "running";
  return StateDir(o.root, id).Write(l.stored);
}

}  // namespace

absl::Status Runtime::Pause(const std::string& id) { return SetPaused(opts_, id, true); }
absl::Status Runtime::Resume(const std::string& id) { return SetPaused(opts_, id, false); }

absl::StatusOr<std::vector<pid_t>> Runtime::Pids(const std::string& id) {
  ASSIGN_OR_RETURN(internal::Loaded l, internal::Load(opts_, id, internal::Need::kState));
  ASSIGN_OR_RETURN(auto cg, internal::AttachCgroup(l.stored));
  return cg->Pids();
}

absl::Status Runtime::Update(const std::string& id, const cgroup::Resources& resources) {
  ASSIGN_OR_RETURN(internal::Loaded l, internal::Load(opts_, id, internal::Need::kState));
  if (l.stored.state.status == "stopped") {
    return absl::FailedPreconditionError("update container " + id + ": container not running");
  }
  ASSIGN_OR_RETURN(auto cg, internal::AttachCgroup(l.stored));
  return sys::Annotate(cg->Set(resources), "update container %s", id);
}

absl::StatusOr<cgroup::Stats> Runtime::Stats(const std::string& id) {
  ASSIGN_OR_RETURN(internal::Loaded l, internal::Load(opts_, id, internal::Need::kState));
  ASSIGN_OR_RETURN(auto cg, internal::AttachCgroup(l.stored));
  return cg->GetStats();
}

}  // namespace cricket::oci
