// Where the container layer keeps its runtime state (under Paths::state):
//   <state>/containers/<id>/      bundle: config.json, monitor.pid, monitor.log, stdin FIFO
//   <state>/oci/<id>/             the engine's state dir (state.json, exec FIFO)
//   <state>/exits/<id>.json       written by the monitor when init ends
#pragma once

#include <string>

#include "pod/paths.h"

namespace cricket::pod {

struct ContainerPaths {
  explicit ContainerPaths(const Paths& p) : state(p.state) {}
  std::string state;

  std::string Bundle(const std::string& id) const { return state + "/containers/" + id; }
  std::string Config(const std::string& id) const { return Bundle(id) + "/config.json"; }
  std::string MonitorPid(const std::string& id) const { return Bundle(id) + "/monitor.pid"; }
  std::string MonitorLog(const std::string& id) const { return Bundle(id) + "/monitor.log"; }
  std::string OciRoot() const { return state + "/oci"; }
  std::string Exits() const { return state + "/exits"; }
  std::string ExitFile(const std::string& id) const { return Exits() + "/" + id + ".json"; }
};

}  // namespace cricket::pod
