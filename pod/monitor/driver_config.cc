// Flags → DriverConfig for `run` and `exec`.
#include "pod/monitor/driver_config.h"

namespace cricket::pod::monitor {
namespace {

template <class A>
driver::DriverConfig Of(const A& a) {
  driver::DriverConfig c;
  c.root = a.oci_root;
  c.systemd_cgroup = a.systemd_cgroup;
  c.external = a.runtime;
  c.options = a.runtime_options;
  return c;
}

}  // namespace

driver::DriverConfig DriverConfigOf(const RunArgs& a) { return Of(a); }
driver::DriverConfig DriverConfigOf(const ExecArgs& a) { return Of(a); }

}  // namespace cricket::pod::monitor
