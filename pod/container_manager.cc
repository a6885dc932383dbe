// ContainerManager's plumbing: construction, the in-memory map, records,
// per-container operation locks and the engine handle.
#include "pod/container_manager.h"

#include "absl/strings/str_cat.h"
#include "oci/sys/status.h"
#include "pod/record_store.h"

namespace cricket::pod {

void ContainerManager::SetLiveDefaults(LiveDefaults d) {
  absl::MutexLock l(&live_mu_);
  live_ = std::move(d);
}

ContainerManager::LiveDefaults ContainerManager::Live() const {
  absl::MutexLock l(&live_mu_);
  return live_;
}

ContainerManager::ContainerManager(Options opts, SandboxManager* sandboxes,
                                   RootfsProvider* images, RecordStore* records)
    : opts_(std::move(opts)),
      live_{opts_.defaults.capabilities, opts_.defaults.ulimits, opts_.default_seccomp_path,
            opts_.log_size_max},
      cpaths_(opts_.paths),
      sandboxes_(sandboxes),
      images_(images),
      records_(records),
      watcher_(cpaths_.Exits()) {
  if (sandboxes_ != nullptr) {
    sandboxes_->SetContainerHooks([this](const PodId& pod) { return StopAll(pod); },
                                  [this](const PodId& pod) { return RemoveAll(pod); });
  }
}

ContainerManager::~ContainerManager() { watcher_.Stop(); }

std::shared_ptr<absl::Mutex> ContainerManager::OpLock(const std::string& id) {
  absl::MutexLock l(&mu_);
  auto& m = op_locks_[id];
  if (!m) m = std::make_shared<absl::Mutex>();
  return m;
}

absl::StatusOr<ContainerId> ContainerManager::Resolve(const std::string& id_or_prefix) const {
  absl::StatusOr<std::string> id = ids_.Resolve(id_or_prefix);
  if (!id.ok()) return sys::Annotate(id.status(), "container %s", id_or_prefix);
  return ContainerId(*std::move(id));
}

absl::Status ContainerManager::CheckKnown(const ContainerId& id) const {
  absl::MutexLock l(&mu_);
  if (containers_.count(id.str()) != 0) return absl::OkStatus();
  return absl::NotFoundError(absl::StrCat("container ", id.str(), " not found"));
}

absl::StatusOr<Container> ContainerManager::Snapshot(const std::string& id) const {
  absl::MutexLock l(&mu_);
  auto it = containers_.find(id);
  if (it == containers_.end()) return absl::NotFoundError(absl::StrCat("container ", id, " not found"));
  return it->second;
}

absl::Status ContainerManager::Save(const Container& c) {
  absl::Status st = records_->Put("containers", c.id, c.ToJson());
  if (st.ok() && opts_.events) opts_.events->ContainerSaved(c);
  return sys::Annotate(st, "save container %s", c.id);
}

void ContainerManager::Publish(const Container& c) {
  {
    absl::MutexLock l(&mu_);
    containers_[c.id] = c;
  }
  ids_.Add(c.id);
}

void ContainerManager::Unpublish(const Container& c) {
  ids_.Remove(c.id);
  names_.Release(c.name_key);
  absl::MutexLock l(&mu_);
  containers_.erase(c.id);
  // The op lock is held by our caller; it lives on through its shared_ptr.
  op_locks_.erase(c.id);
  if (opts_.events) opts_.events->ContainerRemoved(c);
}

}  // namespace cricket::pod
