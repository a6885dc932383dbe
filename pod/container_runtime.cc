// Which OCI runtime drives a container: its pod's RuntimeClass handler
// ("" = the built-in engine, else a configured runc-compatible binary).
#include "absl/strings/str_cat.h"
#include "oci/sys/status.h"
#include "pod/container_manager.h"

namespace cricket::pod {

absl::StatusOr<driver::DriverConfig> ContainerManager::DriverConfigFor(
    const std::string& handler) const {
  driver::DriverConfig c;
  c.systemd_cgroup = opts_.defaults.systemd_cgroup;
  if (IsBuiltinRuntimeHandler(handler)) {
    c.root = cpaths_.OciRoot();
    return c;
  }
  auto it = opts_.runtime_handlers.find(handler);
  if (it == opts_.runtime_handlers.end()) {
    return absl::NotFoundError(
        absl::StrCat("runtime handler \"", handler, "\" is not configured (any more)"));
  }
  c.external = it->second.path;
  c.root = it->second.root.empty() ? absl::StrCat(opts_.paths.state, "/runtimes/", handler)
                                   : it->second.root;
  c.options = it->second.options;
  return c;
}

absl::StatusOr<std::unique_ptr<driver::RuntimeDriver>> ContainerManager::Driver(
    const std::string& handler) const {
  ASSIGN_OR_RETURN(driver::DriverConfig c, DriverConfigFor(handler));
  return driver::MakeDriver(c);
}

absl::StatusOr<std::unique_ptr<driver::RuntimeDriver>> ContainerManager::DriverOf(
    const std::string& id) const {
  ASSIGN_OR_RETURN(Container c, Snapshot(id));
  return Driver(c.runtime_handler);
}

}  // namespace cricket::pod
