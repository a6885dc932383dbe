// StopContainer and RemoveContainer. Stop: the image's stop signal (else
// SIGTERM), wait for the monitor's exit file up to the timeout, then
// SIGKILL. A container that was never started is killed at once: its init
// is pid 1 of its namespace and would ignore SIGTERM. Both are idempotent.
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstdlib>
#include <thread>

#include "absl/strings/str_cat.h"
#include "oci/state_dir.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "pod/container_manager.h"
#include "pod/stop_signal.h"
#include "pod/monitor/protocol/exit_file.h"
#include "pod/monitor/protocol/runtime_file.h"
#include "pod/record_store.h"

namespace cricket::pod {
namespace {

// Between the steps of StopContainer and RemoveContainer (tests/e2e/crash).
CRICKET_DEFINE_FAILPOINT(kStopSignalled, "container.stop.signalled");
CRICKET_DEFINE_FAILPOINT(kStopKilled, "container.stop.killed");
CRICKET_DEFINE_FAILPOINT(kStopExited, "container.stop.exited");
CRICKET_DEFINE_FAILPOINT(kRemoveStopped, "container.remove.stopped");
CRICKET_DEFINE_FAILPOINT(kRemoveEngineDeleted, "container.remove.engine_deleted");
CRICKET_DEFINE_FAILPOINT(kRemoveRootfsRemoved, "container.remove.rootfs_removed");
CRICKET_DEFINE_FAILPOINT(kRemoveBundleRemoved, "container.remove.bundle_removed");
CRICKET_DEFINE_FAILPOINT(kRemoveRecordDeleted, "container.remove.record_deleted");

pid_t ReadPidFile(const std::string& path) {
  absl::StatusOr<std::string> s = sys::ReadFile(path);
  return s.ok() ? static_cast<pid_t>(std::atoi(s->c_str())) : 0;
}

// Polling waits start at 1 ms and back off to 20 ms: a container that is
// killed, or a monitor that is already writing its exit file, is usually done
// within a few milliseconds, and a fixed 20 ms sleep made that the floor of
// every StopContainer and RemoveContainer.
class Backoff {
 public:
  void Sleep() {
    std::this_thread::sleep_for(std::chrono::milliseconds(ms_));
    ms_ = std::min(ms_ * 2, 20);
  }

 private:
  int ms_ = 1;
};

bool Ignorable(const absl::Status& st) {
  return st.ok() || absl::IsNotFound(st) || absl::IsFailedPrecondition(st);
}

}  // namespace

absl::Status ContainerManager::Stop(const ContainerId& cid, int64_t timeout_seconds) {
  RETURN_IF_ERROR(CheckKnown(cid));
  const std::string& id = cid.str();
  std::shared_ptr<absl::Mutex> op = OpLock(id);
  absl::MutexLock l(op.get());
  return sys::Annotate(StopLocked(id, timeout_seconds), "stop container %s", id);
}

absl::Status ContainerManager::StopLocked(const std::string& id, int64_t timeout_seconds) {
  RefreshFromExitFile(id);
  ASSIGN_OR_RETURN(Container c, Snapshot(id));
  if (c.state() == ContainerState::kExited) return absl::OkStatus();
  ASSIGN_OR_RETURN(std::unique_ptr<driver::RuntimeDriver> rt, Driver(c.runtime_handler));
  if (c.state() == ContainerState::kRunning && timeout_seconds > 0) {
    int sig = EffectiveStopSignal(c.stop_signal);
    absl::Status st = rt->Kill(id, sig, /*all=*/false);
    if (!Ignorable(st)) return st;
    RETURN_IF_ERROR(sys::Failpoint(kStopSignalled));
    if (WaitExit(id, std::chrono::seconds(timeout_seconds)).ok()) {
      RETURN_IF_ERROR(sys::Failpoint(kStopExited));
      RefreshFromExitFile(id);
      return absl::OkStatus();
    }
  }
  absl::Status st = rt->Kill(id, SIGKILL, /*all=*/true);
  if (!Ignorable(st)) return st;
  RETURN_IF_ERROR(sys::Failpoint(kStopKilled));
  RETURN_IF_ERROR(WaitExit(id, opts_.kill_grace));
  RETURN_IF_ERROR(sys::Failpoint(kStopExited));
  RefreshFromExitFile(id);
  return absl::OkStatus();
}

// Polls for the exit file; when the monitor is gone without writing one
// (killed), an exit record is written for it once init is gone too.
absl::Status ContainerManager::WaitExit(const std::string& id, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string exit_file = cpaths_.ExitFile(id);
  pid_t monitor = ReadPidFile(cpaths_.MonitorPid(id));
  Backoff backoff;
  for (;;) {
    if (sys::PathExists(exit_file)) return absl::OkStatus();
    if (monitor <= 0 || !oci::ProcAlive(monitor)) {
      // The monitor may have written it just before exiting.
      if (sys::PathExists(exit_file)) return absl::OkStatus();
      absl::StatusOr<Container> c = Snapshot(id);
      if (!c.ok() || c->pid <= 0 || !oci::ProcAlive(c->pid)) return WriteLostExit(id);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return absl::DeadlineExceededError(
          absl::StrCat("container ", id, " did not exit within ", timeout.count(), " ms"));
    }
    backoff.Sleep();
  }
}

absl::Status ContainerManager::WriteLostExit(const std::string& id) {
  ExitRecord r;
  r.exit_code = 255;
  r.reason = "Error";
  r.finished_at_ns = RealtimeNs();
  sys::LogWarn("monitor gone without an exit record", {{"id", id}});
  return WriteRuntimeFile(cpaths_.ExitFile(id), ExitRecordToJson(r));
}

absl::Status ContainerManager::Remove(const ContainerId& cid) {
  if (absl::IsNotFound(CheckKnown(cid))) return absl::OkStatus();  // idempotent
  const std::string& id = cid.str();
  std::shared_ptr<absl::Mutex> op = OpLock(id);
  absl::MutexLock l(op.get());
  absl::StatusOr<Container> c = Snapshot(id);
  if (absl::IsNotFound(c.status())) return absl::OkStatus();  // removed meanwhile
  if (!c.ok()) return c.status();
  RETURN_IF_ERROR(sys::Annotate(StopLocked(id, 0), "remove container %s", id));
  RETURN_IF_ERROR(sys::Failpoint(kRemoveStopped));
  return sys::Annotate(Cleanup(*c), "remove container %s", id);
}

absl::Status ContainerManager::DeleteInEngine(const std::string& id, const std::string& handler) {
  ASSIGN_OR_RETURN(std::unique_ptr<driver::RuntimeDriver> rt, Driver(handler));
  absl::Status st = rt->Delete(id, /*force=*/true);
  if (!st.ok() && !absl::IsNotFound(st)) return st;
  // The monitor writes the exit file after reaping init; wait for it to go.
  pid_t monitor = ReadPidFile(cpaths_.MonitorPid(id));
  auto deadline = std::chrono::steady_clock::now() + opts_.kill_grace;
  Backoff backoff;
  while (monitor > 0 && oci::ProcAlive(monitor) && std::chrono::steady_clock::now() < deadline) {
    backoff.Sleep();
  }
  if (::unlink(cpaths_.ExitFile(id).c_str()) != 0 && errno != ENOENT) {
    return sys::ErrnoStatus(errno, "remove %s", cpaths_.ExitFile(id));
  }
  return absl::OkStatus();
}

absl::Status ContainerManager::Cleanup(const Container& c) {
  RETURN_IF_ERROR(DeleteInEngine(c.id, c.runtime_handler));
  RETURN_IF_ERROR(sys::Failpoint(kRemoveEngineDeleted));
  RETURN_IF_ERROR(images_->RemoveRootfs(c.id));
  RETURN_IF_ERROR(sys::Failpoint(kRemoveRootfsRemoved));
  RETURN_IF_ERROR(sys::RemoveAll(cpaths_.Bundle(c.id)));
  RETURN_IF_ERROR(sys::Failpoint(kRemoveBundleRemoved));
  RETURN_IF_ERROR(records_->Delete("containers", c.id));
  RETURN_IF_ERROR(sys::Failpoint(kRemoveRecordDeleted));
  Unpublish(c);
  return absl::OkStatus();
}

absl::Status ContainerManager::StopAll(const PodId& pod_id) {
  return ForEachInPod(pod_id, [this](const ContainerId& id) { return Stop(id, 0); });
}

absl::Status ContainerManager::RemoveAll(const PodId& pod_id) {
  return ForEachInPod(pod_id, [this](const ContainerId& id) { return Remove(id); });
}

// Runs fn on each container of the pod; returns the first error after trying all.
absl::Status ContainerManager::ForEachInPod(
    const PodId& pod_id, const std::function<absl::Status(const ContainerId&)>& fn) {
  ContainerFilter f;
  f.pod_id_prefix = pod_id.str();
  absl::Status first;
  for (const Container& c : List(f)) {
    if (c.pod_id != pod_id.str()) continue;
    absl::Status st = fn(ContainerId(c.id));
    if (!st.ok() && first.ok()) first = st;
  }
  return first;
}

}  // namespace cricket::pod
