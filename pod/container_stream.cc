// Streaming exec and attach for cri/streaming: checks the container, then
// hands over to the session types (exec_stream_session.h, attach_session.h).
#include "absl/strings/str_cat.h"
#include "oci/sys/status.h"
#include "pod/attach_session.h"
#include "pod/container_manager.h"
#include "pod/exec_stream_session.h"

namespace cricket::pod {
namespace {

absl::Status NeedRunning(const Container& c, const std::string& what) {
  if (c.state() == ContainerState::kRunning) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(what, " container ", c.id, ": container is ", std::string(Name(c.state()))));
}

}  // namespace

absl::StatusOr<std::unique_ptr<StreamSession>> ContainerManager::ExecStream(
    const ContainerId& cid, const std::vector<std::string>& cmd, const StreamOptions& opts) {
  ASSIGN_OR_RETURN(Container c, Get(cid));
  const std::string& id = cid.str();
  RETURN_IF_ERROR(NeedRunning(c, "exec in"));
  ASSIGN_OR_RETURN(driver::DriverConfig rt, DriverConfigFor(c.runtime_handler));
  ExecStreamRequest r;
  r.monitor_path = opts_.monitor_path;
  r.oci_root = rt.root;
  r.runtime_flags = driver::ExternalRuntimeFlags(rt);
  r.id = id;
  r.systemd_cgroup = opts_.defaults.systemd_cgroup;
  r.cmd = cmd;
  r.opts = opts;
  r.start_timeout = opts_.monitor_timeout;
  r.kill_grace = opts_.kill_grace;
  return StartExecStream(r);
}

absl::StatusOr<std::unique_ptr<StreamSession>> ContainerManager::Attach(
    const ContainerId& cid, const StreamOptions& opts) {
  ASSIGN_OR_RETURN(Container c, Get(cid));
  const std::string& id = cid.str();
  RETURN_IF_ERROR(NeedRunning(c, "attach to"));
  AttachRequest r;
  r.id = id;
  r.attach_dir = cpaths_.Bundle(id);  // as SpawnMonitor gives it to the monitor
  r.container_tty = c.config.tty();
  r.container_stdin = c.config.stdin();
  r.opts = opts;
  return AttachToMonitor(r);
}

}  // namespace cricket::pod
