// Restart recovery: records come back into memory with their names; an exit
// file that appeared while cricketd was down marks the container Exited;
// a monitor that vanished without one gets an exit recorded for it; bundles
// without a record (a crash in the middle of Create) are cleaned up.
#include <set>

#include "absl/strings/str_cat.h"
#include "oci/state_dir.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "pod/container_manager.h"
#include "pod/monitor/protocol/exit_file.h"
#include "pod/record_store.h"

namespace cricket::pod {

absl::Status ContainerManager::Recover() {
  // Containers whose record is unusable (set aside) count as known: the
  // sweep below must not kill what another cricketd version still runs.
  std::vector<std::string> set_aside;
  ASSIGN_OR_RETURN(std::vector<RecordStore::Loaded> loaded,
                   records_->LoadAll("containers", &set_aside));
  std::set<std::string> known(set_aside.begin(), set_aside.end());
  for (auto& l : loaded) {
    absl::StatusOr<Container> c = Container::FromJson(l.body);
    if (!c.ok()) {
      known.insert(l.id);
      records_->Quarantine("containers", l.id, c.status().ToString());
      continue;
    }
    known.insert(c->id);
    absl::Status st = RecoverOne(std::move(*c));
    if (!st.ok()) sys::LogError("recover container", {{"id", l.id}, {"error", st.ToString()}});
  }
  // Bundles of creations that never got a record.
  absl::StatusOr<std::vector<std::string>> bundles = sys::ListDir(cpaths_.state + "/containers");
  for (const auto& id : bundles.ok() ? *bundles : std::vector<std::string>{}) {
    if (known.count(id)) continue;
    Container orphan;
    orphan.id = id;
    absl::Status st = Cleanup(orphan);
    if (!st.ok()) sys::LogError("clean up half-made container", {{"id", id}, {"error", st.ToString()}});
  }
  absl::Status watching =
      watcher_.Start([this](const std::string& id) { OnExit(ContainerId(id)); });
  if (!watching.ok() && !absl::IsFailedPrecondition(watching)) return watching;
  // Exits between loading and watching.
  ASSIGN_OR_RETURN(std::vector<std::string> exited, watcher_.Scan());
  for (const auto& id : exited) OnExit(ContainerId(id));
  return absl::OkStatus();
}

absl::Status ContainerManager::RecoverOne(Container c) {
  RETURN_IF_ERROR(names_.Reserve(c.name_key, c.id));
  Publish(c);
  if (c.state() == ContainerState::kExited) return absl::OkStatus();
  if (RefreshFromExitFile(c.id)) return absl::OkStatus();
  if (opts_.after_reboot) {  // its pids may name other processes now
    RETURN_IF_ERROR(WriteLostExit(c.id));
    RefreshFromExitFile(c.id);
    return absl::OkStatus();
  }
  bool monitor_alive = c.monitor_pid > 0 && oci::ProcAlive(c.monitor_pid);
  bool init_alive = c.pid > 0 && oci::ProcAlive(c.pid);
  if (monitor_alive) {
    // Recorded Created, but a crash came between the engine's start and the
    // record's save: the engine knows it runs.
    if (c.state() != ContainerState::kCreated || !EngineStarted(c)) return absl::OkStatus();
    RETURN_IF_ERROR(c.TransitionTo(ContainerState::kRunning));
    c.started_at_ns = RealtimeNs();  // not kept by the engine: the time it was found running
    sys::LogWarn("container found running though recorded created", {{"id", c.id}});
    Publish(c);
    return Save(c);
  }
  if (!init_alive) {
    RETURN_IF_ERROR(WriteLostExit(c.id));
    RefreshFromExitFile(c.id);
    return absl::OkStatus();
  }
  // Init lives on without its monitor: nobody will report its exit.
  if (c.state() != ContainerState::kUnknown) {  // found so before an earlier restart
    RETURN_IF_ERROR(c.TransitionTo(ContainerState::kUnknown));
  }
  c.message = "monitor exited while the container runs";
  Publish(c);
  return Save(c);
}

}  // namespace cricket::pod
