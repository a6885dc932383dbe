// Kill (cricket.v1 KillContainer): one signal to a running container's init,
// through the container's runtime driver as Stop sends its stop signal; the
// exit, if the signal ends it, is recorded by the monitor as any other.
#include <string>

#include "absl/strings/str_cat.h"
#include "oci/runtime.h"
#include "oci/sys/status.h"
#include "pod/container_manager.h"

namespace cricket::pod {

absl::Status ContainerManager::Kill(const ContainerId& cid, const std::string& signal) {
  ASSIGN_OR_RETURN(int sig, oci::ParseSignal(signal));
  // As ReopenLog: no op lock; a signal that races a Stop finds init gone,
  // which the engine reports.
  ASSIGN_OR_RETURN(Container c, Get(cid));
  const std::string& id = cid.str();
  if (c.state() != ContainerState::kRunning) {
    return absl::FailedPreconditionError(absl::StrCat(
        "kill container ", id, ": not running (", std::string(Name(c.state())), ")"));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<driver::RuntimeDriver> rt, Driver(c.runtime_handler));
  return sys::Annotate(rt->Kill(id, sig, /*all=*/false), "kill container %s with %s", id,
                       signal);
}

}  // namespace cricket::pod
