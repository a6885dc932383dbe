// ExecSync: run a command in a container (through cricket-monitor's exec
// mode, never a fork of cricketd) and return its output and exit code.
#include <chrono>

#include "cri/service/runtime_handlers.h"
#include "oci/sys/status.h"

namespace cricket::cri {

absl::Status RuntimeHandlers::ExecSync(const v1::ExecSyncRequest& req, v1::ExecSyncResponse* resp) {
  if (req.cmd().empty()) return absl::InvalidArgumentError("ExecSync: cmd is required");
  // 0 means no limit; a day stands in for "forever" so nothing waits unbounded.
  auto timeout = req.timeout() > 0 ? std::chrono::milliseconds(req.timeout() * 1000)
                                   : std::chrono::milliseconds(std::chrono::hours(24));
  std::vector<std::string> cmd(req.cmd().begin(), req.cmd().end());
  ASSIGN_OR_RETURN(pod::ContainerId id, ctx().containers->Resolve(req.container_id()));
  ASSIGN_OR_RETURN(pod::ExecResult r, ctx().containers->ExecSync(id, cmd, timeout));
  resp->set_stdout(r.out);
  resp->set_stderr(r.err);
  resp->set_exit_code(r.exit_code);
  return absl::OkStatus();
}

}  // namespace cricket::cri
