// StartContainer, UpdateContainerResources, ReopenContainerLog and ExecSync:
// the operations on a live container. Start is a FIFO write in the engine
// (no fork), so it runs in cricketd; ExecSync forks, so a helper does it.
#include <signal.h>

#include <initializer_list>
#include <thread>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "oci/cgroup/resources.h"
#include "oci/sys/child_process.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "pod/container_manager.h"
#include "pod/monitor/protocol/exit_file.h"
#include "pod/spec/builders.h"

namespace cricket::pod {
namespace {

// Between the steps of StartContainer (tests/e2e/crash).
CRICKET_DEFINE_FAILPOINT(kEngineStarted, "container.start.engine_started");
CRICKET_DEFINE_FAILPOINT(kStartRecordSaved, "container.start.record_saved");

absl::Status NeedState(const Container& c, std::initializer_list<ContainerState> ok,
                       const std::string& what) {
  for (ContainerState s : ok) {
    if (c.state() == s) return absl::OkStatus();
  }
  return absl::FailedPreconditionError(
      absl::StrCat(what, " container ", c.id, ": container is ", std::string(Name(c.state()))));
}

}  // namespace

absl::Status ContainerManager::Start(const ContainerId& cid) {
  RETURN_IF_ERROR(CheckKnown(cid));
  const std::string& id = cid.str();
  std::shared_ptr<absl::Mutex> op = OpLock(id);
  absl::MutexLock l(op.get());
  RefreshFromExitFile(id);
  ASSIGN_OR_RETURN(Container c, Snapshot(id));
  RETURN_IF_ERROR(NeedState(c, {ContainerState::kCreated}, "start"));
  // Taken before the process runs, so a quick exit never precedes its start.
  int64_t started = RealtimeNs();
  ASSIGN_OR_RETURN(std::unique_ptr<driver::RuntimeDriver> rt, Driver(c.runtime_handler));
  // A start whose record was not saved (a crash, or an error after the
  // engine's start) left it running: the retry's engine start fails, and
  // only then is the engine asked, so a plain start costs no state read.
  if (absl::Status st = rt->Start(id); !st.ok() && !EngineStarted(c)) {
    return sys::Annotate(st, "start container %s", id);
  }
  RETURN_IF_ERROR(sys::Failpoint(kEngineStarted));
  RETURN_IF_ERROR(c.TransitionTo(ContainerState::kRunning));
  c.started_at_ns = started;
  RETURN_IF_ERROR(Save(c));
  RETURN_IF_ERROR(sys::Failpoint(kStartRecordSaved));
  Publish(c);
  RefreshFromExitFile(id);  // it may already have ended
  return absl::OkStatus();
}

bool ContainerManager::EngineStarted(const Container& c) {
  absl::StatusOr<std::unique_ptr<driver::RuntimeDriver>> rt = Driver(c.runtime_handler);
  if (!rt.ok()) return false;
  absl::StatusOr<std::string> st = (*rt)->Status(c.id);
  return st.ok() && (*st == "running" || *st == "paused");
}

absl::Status ContainerManager::UpdateResources(
    const ContainerId& cid, const runtime::v1::LinuxContainerResources& resources) {
  RETURN_IF_ERROR(CheckKnown(cid));
  const std::string& id = cid.str();
  std::shared_ptr<absl::Mutex> op = OpLock(id);
  absl::MutexLock l(op.get());
  ASSIGN_OR_RETURN(Container c, Snapshot(id));
  RETURN_IF_ERROR(NeedState(c, {ContainerState::kCreated, ContainerState::kRunning}, "update"));
  c.config.mutable_linux()->mutable_resources()->CopyFrom(resources);
  // The same builder as at creation turns CRI resources into linux.resources.
  Sandbox sb;
  if (absl::StatusOr<Sandbox> s = sandboxes_->Get(PodId(c.pod_id)); s.ok()) sb = *s;
  spec::Inputs in = BaseInputs(sb, c);
  spec::Output out;
  RETURN_IF_ERROR(sys::Annotate(spec::ApplyResources(in, out), "update container %s", id));
  const oci::cgroup::Resources& r = *out.spec.linux_spec->resources;
  ASSIGN_OR_RETURN(std::unique_ptr<driver::RuntimeDriver> rt, Driver(c.runtime_handler));
  RETURN_IF_ERROR(sys::Annotate(rt->Update(id, r), "update container %s", id));
  RETURN_IF_ERROR(Save(c));
  Publish(c);
  return absl::OkStatus();
}

absl::Status ContainerManager::ReopenLog(const ContainerId& cid) {
  ASSIGN_OR_RETURN(Container c, Get(cid));
  const std::string& id = cid.str();
  RETURN_IF_ERROR(NeedState(c, {ContainerState::kRunning}, "reopen log of"));
  if (c.log_path.empty()) return absl::OkStatus();
  RETURN_IF_ERROR(
      sys::Annotate(sys::SignalPid(c.monitor_pid, SIGUSR1), "reopen log of container %s", id));
  // The kubelet renamed the file away; it is back once the monitor reopened.
  for (int i = 0; i < 250 && !sys::PathExists(c.log_path); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (sys::PathExists(c.log_path)) return absl::OkStatus();
  return absl::UnavailableError(absl::StrCat("reopen log of container ", id, ": ", c.log_path,
                                             " was not recreated"));
}

absl::StatusOr<ExecResult> ContainerManager::ExecSync(const ContainerId& cid,
                                                      const std::vector<std::string>& cmd,
                                                      std::chrono::milliseconds timeout) {
  ASSIGN_OR_RETURN(Container c, Get(cid));
  const std::string& id = cid.str();
  RETURN_IF_ERROR(NeedState(c, {ContainerState::kRunning}, "exec in"));
  if (cmd.empty()) return absl::InvalidArgumentError("exec in container " + id + ": empty command");
  ASSIGN_OR_RETURN(driver::DriverConfig rt, DriverConfigFor(c.runtime_handler));
  ExecRequest r;
  r.monitor_path = opts_.monitor_path;
  r.oci_root = rt.root;
  r.runtime_flags = driver::ExternalRuntimeFlags(rt);
  r.id = id;
  r.systemd_cgroup = opts_.defaults.systemd_cgroup;
  r.cmd = cmd;
  r.timeout = timeout;
  return RunExecHelper(r);
}

}  // namespace cricket::pod
