// CheckpointContainer: the container's processes dumped by its runtime with
// CRIU (left running, as CRI-O does for the kubelet's checkpoint API), then
// the archive of pod/checkpoint_archive.h written at the kubelet's location.
#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/temp_dir.h"
#include "pod/checkpoint_archive.h"
#include "pod/container_manager.h"

namespace cricket::pod {
namespace {

std::string Rfc3339(int64_t unix_ns) {
  return absl::FormatTime(absl::RFC3339_full, absl::FromUnixNanos(unix_ns), absl::UTCTimeZone());
}

// checkpointctl's ContainerConfig, with the fields CRI-O adds.
nlohmann::json ConfigDump(const Container& c, const std::string& runtime) {
  return {{"id", c.id},
          {"name", c.name},
          {"rootfsImage", c.image_id},
          {"rootfsImageRef", c.image_ref},
          {"rootfsImageName", c.image},
          {"runtime", runtime},
          {"createdTime", Rfc3339(c.created_at_ns)},
          {"checkpointedTime", Rfc3339(absl::ToUnixNanos(absl::Now()))}};
}

// The mount points the runtime made in the rootfs for the container's mounts
// (/etc/hosts, /dev/termination-log): theirs, not the container's changes.
std::set<std::string> MountDestinations(const nlohmann::json& spec) {
  std::set<std::string> out;
  if (!spec.contains("mounts") || !spec["mounts"].is_array()) return out;
  for (const nlohmann::json& m : spec["mounts"]) {
    if (m.is_object()) out.insert(m.value("destination", ""));
  }
  return out;
}

}  // namespace

absl::Status ContainerManager::Checkpoint(const ContainerId& cid, const std::string& location) {
  RETURN_IF_ERROR(CheckKnown(cid));
  const std::string& id = cid.str();
  auto fail = [&id](absl::Status st) { return sys::Annotate(st, "checkpoint container %s", id); };
  if (location.empty() || location[0] != '/') {
    return fail(absl::InvalidArgumentError(
        absl::StrCat("location \"", location, "\" must be an absolute path of the archive")));
  }
  std::shared_ptr<absl::Mutex> op = OpLock(id);
  absl::MutexLock l(op.get());
  ASSIGN_OR_RETURN(Container c, Snapshot(id));
  if (c.state() != ContainerState::kRunning) {
    return fail(absl::FailedPreconditionError(
        absl::StrCat("container is ", std::string(Name(c.state())))));
  }
  ASSIGN_OR_RETURN(std::string spec_text, sys::ReadFile(cpaths_.Config(id)));
  nlohmann::json spec = nlohmann::json::parse(spec_text, nullptr, false);
  ASSIGN_OR_RETURN(sys::TempDir work, sys::TempDir::Make("checkpoint-", cpaths_.Bundle(id)));
  ASSIGN_OR_RETURN(std::unique_ptr<driver::RuntimeDriver> rt, Driver(c.runtime_handler));
  oci::CheckpointOptions o;
  o.image_path = work.Sub("checkpoint");
  o.work_path = work.path();  // dump.log lands at the archive's top, as CRI-O's
  o.leave_running = true;
  RETURN_IF_ERROR(fail(rt->Checkpoint(id, o)));
  RETURN_IF_ERROR(fail(sys::WriteFileAtomic(
      work.Sub("config.dump"),
      ConfigDump(c, c.runtime_handler.empty() ? "cricket" : c.runtime_handler).dump(2), 0600,
      sys::Durability::kBootOnly)));
  RETURN_IF_ERROR(fail(sys::WriteFileAtomic(work.Sub("spec.dump"), spec_text, 0600,
                                            sys::Durability::kBootOnly)));
  ASSIGN_OR_RETURN(std::string upper, OverlayUpperDir(c.rootfs));
  RETURN_IF_ERROR(fail(WriteRootfsDiff(upper, MountDestinations(spec), work.Sub("rootfs-diff.tar"),
                                       work.Sub("deleted.files"))));
  return TarDirectory(work.path(), location);
}

}  // namespace cricket::pod
