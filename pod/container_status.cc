// ContainerStatus / ListContainers / ContainerStats and the exit path: an
// exit file written by the monitor turns a Created or Running record into
// Exited, whether the watcher saw it or a reader finds it first.
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "pod/container_manager.h"
#include "pod/monitor/protocol/exit_file.h"

namespace cricket::pod {

bool ContainerManager::RefreshFromExitFile(const std::string& id) {
  absl::StatusOr<std::string> text = sys::ReadFile(cpaths_.ExitFile(id));
  if (!text.ok()) return false;
  absl::StatusOr<ExitRecord> exit = ParseExitRecord(*text);
  if (!exit.ok()) {
    sys::LogWarn("bad exit file", {{"id", id}, {"error", exit.status().ToString()}});
    return false;
  }
  Container c;
  {
    absl::MutexLock l(&mu_);
    auto it = containers_.find(id);
    if (it == containers_.end() || !ApplyExit(*exit, &it->second)) return false;
    c = it->second;
  }
  absl::Status st = Save(c);
  if (!st.ok()) sys::LogError("record exit", {{"id", id}, {"error", st.ToString()}});
  return true;
}

void ContainerManager::OnExit(const ContainerId& cid) {
  const std::string& id = cid.str();
  std::shared_ptr<absl::Mutex> op = OpLock(id);
  // Whoever holds the lock (Start, Stop) refreshes before releasing it.
  if (!op->TryLock()) return;
  RefreshFromExitFile(id);
  op->Unlock();
}

absl::StatusOr<Container> ContainerManager::Get(const ContainerId& id) {
  RETURN_IF_ERROR(CheckKnown(id));
  OnExit(id);
  return Snapshot(id.str());
}

std::vector<Container> ContainerManager::List(const ContainerFilter& filter) {
  std::vector<std::string> pending;
  {
    absl::MutexLock l(&mu_);
    for (const auto& [id, c] : containers_) {
      if (c.state() == ContainerState::kCreated || c.state() == ContainerState::kRunning) {
        pending.push_back(id);
      }
    }
  }
  for (const auto& id : pending) {
    if (sys::PathExists(cpaths_.ExitFile(id))) OnExit(ContainerId(id));
  }
  std::vector<Container> out;
  absl::MutexLock l(&mu_);
  for (const auto& [id, c] : containers_) {
    if (Matches(filter, c)) out.push_back(c);
  }
  return out;
}

absl::StatusOr<nlohmann::json> ContainerManager::Spec(const ContainerId& cid) {
  RETURN_IF_ERROR(CheckKnown(cid));
  const std::string& id = cid.str();
  ASSIGN_OR_RETURN(std::string text, sys::ReadFile(cpaths_.Config(id)));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) return absl::DataLossError(absl::StrCat("container ", id, ": bad config.json"));
  return j;
}

absl::StatusOr<oci::cgroup::Stats> ContainerManager::Stats(const ContainerId& cid) {
  RETURN_IF_ERROR(CheckKnown(cid));
  const std::string& id = cid.str();
  absl::StatusOr<std::unique_ptr<driver::RuntimeDriver>> rt = DriverOf(id);
  if (!rt.ok()) return sys::Annotate(rt.status(), "stats of container %s", id);
  absl::StatusOr<oci::cgroup::Stats> s = (*rt)->Stats(id);
  if (!s.ok()) return sys::Annotate(s.status(), "stats of container %s", id);
  return s;
}

}  // namespace cricket::pod
