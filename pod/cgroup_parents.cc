#include "pod/cgroup_parents.h"

#include <memory>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "oci/cgroup/detect.h"
#include "oci/cgroup/manager.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::pod {
namespace {

constexpr char kKind[] = "cgroup_parent";

// Paths hold '/', record ids may not: the id is the path in hex.
std::string RecordId(const std::string& dir) { return absl::BytesToHexString(dir); }

bool AtOrBelow(const std::string& path, const std::string& dir) {
  return path == dir || absl::StartsWith(path, dir + "/");
}

std::string ParentOf(const std::string& dir) {
  size_t slash = dir.rfind('/');
  return slash == 0 || slash == std::string::npos ? "" : dir.substr(0, slash);
}

absl::StatusOr<std::unique_ptr<oci::cgroup::Manager>> At(const std::string& root,
                                                         const std::string& dir) {
  oci::cgroup::ManagerOptions o;
  o.cgroups_path = dir;
  o.container_id = "pod";
  o.root = root;
  return oci::cgroup::NewManager(o);
}

// The hierarchy is detected once: it does not change under a running cricketd.
std::string ProbeDir(const std::string& root) {
  auto mode = oci::cgroup::DetectMode(root);
  return mode.ok() && *mode == oci::cgroup::CgroupMode::kV2 ? root : root + "/memory";
}

}  // namespace

CgroupParents::CgroupParents(RecordStore* records, std::string cgroup_root)
    : records_(records), root_(std::move(cgroup_root)), probe_(ProbeDir(root_)) {}

bool CgroupParents::Exists(const std::string& dir) const { return sys::PathExists(probe_ + dir); }

absl::Status CgroupParents::LoadLocked() {
  if (loaded_) return absl::OkStatus();
  // The kind's dir is made at start, as the pods' and containers' are, not
  // by the first pod that needs a parent made.
  RETURN_IF_ERROR(sys::MkdirAll(records_->dir() + "/" + kKind, 0700));
  ASSIGN_OR_RETURN(auto loaded, records_->LoadAll(kKind));
  for (const auto& rec : loaded) {
    std::string dir = rec.body.value("path", "");
    if (!dir.empty()) made_.insert(dir);
  }
  loaded_ = true;
  return absl::OkStatus();
}

absl::Status CgroupParents::Use(const std::string& id, const std::string& path) {
  absl::MutexLock l(&mu_);
  RETURN_IF_ERROR(LoadLocked());
  pods_[id] = path;
  // Recorded before it exists: a crash in between leaves a record of a
  // directory that RemoveUnused finds missing or unused, never the reverse.
  std::string prefix;
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    absl::StrAppend(&prefix, "/", part);
    if (Exists(prefix)) continue;
    RETURN_IF_ERROR(records_->Put(kKind, RecordId(prefix), {{"path", prefix}}));
    made_.insert(prefix);
    break;  // everything below the first missing one is ours by implication
  }
  ASSIGN_OR_RETURN(auto cg, At(root_, path));
  return sys::Annotate(cg->Create(), "pod cgroup parent %s", path);
}

absl::Status CgroupParents::Release(const std::string& id, const std::string& path) {
  absl::MutexLock l(&mu_);
  RETURN_IF_ERROR(LoadLocked());
  pods_.erase(id);
  // The highest directory made here at or above `path`: none, nothing is ours.
  std::string highest;
  for (const std::string& dir : made_) {
    if (AtOrBelow(path, dir) && (highest.empty() || dir.size() < highest.size())) highest = dir;
  }
  if (highest.empty()) return absl::OkStatus();
  for (std::string dir = path; AtOrBelow(dir, highest); dir = ParentOf(dir)) {
    if (InUseLocked(dir, id)) break;  // another pod's parent is here or below
    RETURN_IF_ERROR(RemoveLocked(dir));
    if (dir == highest) break;
  }
  return absl::OkStatus();
}

void CgroupParents::Known(const std::string& id, const std::string& path) {
  absl::MutexLock l(&mu_);
  pods_[id] = path;
}

absl::Status CgroupParents::RemoveUnused() {
  absl::MutexLock l(&mu_);
  RETURN_IF_ERROR(LoadLocked());
  std::vector<std::string> unused;
  for (const std::string& dir : made_) {
    if (!InUseLocked(dir, "")) unused.push_back(dir);
  }
  for (const std::string& dir : unused) RETURN_IF_ERROR(RemoveLocked(dir));
  return absl::OkStatus();
}

absl::Status CgroupParents::Adopt(const std::string& dir) {
  absl::MutexLock l(&mu_);
  RETURN_IF_ERROR(LoadLocked());
  if (made_.count(dir)) return absl::OkStatus();
  RETURN_IF_ERROR(records_->Put(kKind, RecordId(dir), {{"path", dir}}));
  made_.insert(dir);
  return absl::OkStatus();
}

bool CgroupParents::InUseLocked(const std::string& dir, const std::string& except) const {
  for (const auto& [id, path] : pods_) {
    if (id != except && AtOrBelow(path, dir)) return true;
  }
  return false;
}

absl::Status CgroupParents::RemoveLocked(const std::string& dir) {
  if (Exists(dir)) {
    ASSIGN_OR_RETURN(auto cg, At(root_, dir));
    // Destroy kills what still runs below `dir` first: no pod uses it.
    absl::StatusOr<std::vector<pid_t>> pids = cg->Pids();
    if (pids.ok() && !pids->empty()) {
      sys::LogWarn("killing processes left in a pod cgroup parent",
                   {{"cgroup", dir}, {"count", std::to_string(pids->size())}});
    }
    RETURN_IF_ERROR(cg->Destroy());
  }
  if (made_.erase(dir) > 0) RETURN_IF_ERROR(records_->Delete(kKind, RecordId(dir)));
  return absl::OkStatus();
}

}  // namespace cricket::pod
