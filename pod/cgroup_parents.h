// The cgroup parents cricketd makes for pods (cgroupfs driver only): the
// kubelet makes its pods' cgroups itself, crictl and tests often do not, and
// then the pod's parent is made here so that its containers and infra process
// share one. Pods may share a parent or its ancestors, so what was made is
// recorded per directory (one record each, written before the mkdir), not
// per pod, and a directory goes when the last pod at or below it goes.
#pragma once

#include <map>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "pod/record_store.h"

namespace cricket::pod {

class CgroupParents {
 public:
  CgroupParents(RecordStore* records, std::string cgroup_root);

  // Pod `id` uses the cgroup parent `path`: what is missing of it is made.
  absl::Status Use(const std::string& id, const std::string& path);
  // Pod `id` (whose parent is `path`) is gone: the directories made here at or
  // above `path` that no other pod uses are removed, killing whatever still
  // runs in them (the pod's containers are gone: those are orphans a crash
  // cut off from their records).
  absl::Status Release(const std::string& id, const std::string& path);

  // Recovery, in this order: every pod that still exists, then RemoveUnused
  // (made directories no pod uses any more: a crash between a pod's removal
  // and its directories').
  void Known(const std::string& id, const std::string& path);
  absl::Status RemoveUnused();
  // A directory an older cricketd recorded in the pod's record instead.
  absl::Status Adopt(const std::string& dir);

 private:
  absl::Status LoadLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool InUseLocked(const std::string& dir, const std::string& except) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status RemoveLocked(const std::string& dir) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool Exists(const std::string& dir) const;

  RecordStore* records_;
  const std::string root_;
  const std::string probe_;  // where a cgroup dir shows it exists: root or its memory hierarchy
  absl::Mutex mu_;
  bool loaded_ ABSL_GUARDED_BY(mu_) = false;
  std::map<std::string, std::string> pods_ ABSL_GUARDED_BY(mu_);  // pod id → its parent
  std::set<std::string> made_ ABSL_GUARDED_BY(mu_);               // directories made here
};

}  // namespace cricket::pod
