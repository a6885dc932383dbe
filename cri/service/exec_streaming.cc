// Exec, Attach and PortForward: validate the request as the kubelet's
// streaming server does, store it under a single-use token, and return the
// URL of cricketd's streaming server (cri/streaming).
#include "cri/service/runtime_handlers.h"
#include "cri/streaming/server.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

absl::Status CheckStdio(const char* rpc, bool in, bool out, bool err, bool tty) {
  // The kubelet's validateExecRequest / validateAttachRequest.
  if (tty && err) {
    return absl::InvalidArgumentError(absl::StrCat(rpc, ": tty and stderr cannot both be true"));
  }
  if (!in && !out && !err) {
    return absl::InvalidArgumentError(
        absl::StrCat(rpc, ": one of stdin, stdout, or stderr must be set"));
  }
  return absl::OkStatus();
}

// The container's full id, once it is known to be running.
absl::StatusOr<std::string> RunningContainer(const HandlerContext& ctx, const std::string& id) {
  if (id.empty()) return absl::InvalidArgumentError("container_id is required");
  ASSIGN_OR_RETURN(pod::ContainerId full, ctx.containers->Resolve(id));
  ASSIGN_OR_RETURN(pod::Container c, ctx.containers->Get(full));
  if (c.state() != pod::ContainerState::kRunning) {
    return absl::FailedPreconditionError(absl::StrCat(
        "container ", c.id, " is not running (", std::string(pod::Name(c.state())), ")"));
  }
  return c.id;
}

}  // namespace

absl::Status RuntimeHandlers::Exec(const v1::ExecRequest& req, v1::ExecResponse* resp) {
  if (req.cmd().empty()) return absl::InvalidArgumentError("Exec: cmd is required");
  RETURN_IF_ERROR(CheckStdio("Exec", req.stdin(), req.stdout(), req.stderr(), req.tty()));
  v1::ExecRequest stored = req;
  ASSIGN_OR_RETURN(*stored.mutable_container_id(), RunningContainer(ctx(), req.container_id()));
  ASSIGN_OR_RETURN(*resp->mutable_url(), ctx().streaming->GetExecUrl(stored));
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::Attach(const v1::AttachRequest& req, v1::AttachResponse* resp) {
  RETURN_IF_ERROR(CheckStdio("Attach", req.stdin(), req.stdout(), req.stderr(), req.tty()));
  v1::AttachRequest stored = req;
  ASSIGN_OR_RETURN(*stored.mutable_container_id(), RunningContainer(ctx(), req.container_id()));
  ASSIGN_OR_RETURN(*resp->mutable_url(), ctx().streaming->GetAttachUrl(stored));
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::PortForward(const v1::PortForwardRequest& req,
                                          v1::PortForwardResponse* resp) {
  if (req.pod_sandbox_id().empty()) return absl::InvalidArgumentError("pod_sandbox_id is required");
  for (int32_t p : req.port()) {
    if (p <= 0 || p > 65535) {
      return absl::InvalidArgumentError(absl::StrCat("PortForward: port ", p, " is out of range"));
    }
  }
  ASSIGN_OR_RETURN(pod::PodId id, ctx().sandboxes->Resolve(req.pod_sandbox_id()));
  ASSIGN_OR_RETURN(pod::Sandbox sb, ctx().sandboxes->Get(id));
  if (sb.state() != pod::SandboxState::kReady) {
    return absl::FailedPreconditionError(absl::StrCat("pod sandbox ", sb.id, " is not ready"));
  }
  v1::PortForwardRequest stored = req;
  stored.set_pod_sandbox_id(sb.id);
  ASSIGN_OR_RETURN(*resp->mutable_url(), ctx().streaming->GetPortForwardUrl(stored));
  return absl::OkStatus();
}

}  // namespace cricket::cri
