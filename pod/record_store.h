// Persistent pod and container records: one versioned JSON file per object
// under <dir>/<kind>/<id>.json, written atomically, so a kill -9 at any point
// leaves either the old record or the new one.
#pragma once

#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::pod {

// Bumped when a record's body changes shape; readers migrate older ones.
constexpr int kRecordVersion = 1;

class RecordStore {
 public:
  explicit RecordStore(std::string dir) : dir_(std::move(dir)) {}

  absl::Status Put(const std::string& kind, const std::string& id, const nlohmann::json& body);
  // A missing record is fine (removal is idempotent).
  absl::Status Delete(const std::string& kind, const std::string& id);
  absl::StatusOr<nlohmann::json> Get(const std::string& kind, const std::string& id);

  struct Loaded {
    std::string id;
    int version = 0;
    nlohmann::json body;
  };
  // Every record of a kind. Leftover temp files from a crash are removed.
  // Records this cricketd cannot use are set aside, logged, and their ids
  // added to `set_aside`: the recovery must leave those objects alone (never
  // sweep them as orphans: their containers keep running). An unreadable one
  // moves to quarantine/<kind>/<id>.json; one from a newer cricketd stays in
  // place for that version.
  absl::StatusOr<std::vector<Loaded>> LoadAll(const std::string& kind,
                                              std::vector<std::string>* set_aside = nullptr);
  // Moves a record whose body turned out unusable to quarantine/<kind>/.
  void Quarantine(const std::string& kind, const std::string& id, const std::string& why);

  const std::string& dir() const { return dir_; }
  std::string QuarantineDir(const std::string& kind) const { return dir_ + "/quarantine/" + kind; }

 private:
  std::string PathOf(const std::string& kind, const std::string& id) const;
  std::string dir_;
};

// The records under `dir` that a cricketd set aside (quarantined, or newer
// than this version), one "<kind>/<id>: <why>" line each; for `cricketd check`.
std::vector<std::string> SetAsideRecords(const std::string& dir);

// Ids of every record file of a kind on disk, set aside ones included: what
// start-up sweeps of other layers (snapshots, CNI attachments) must keep.
std::set<std::string> RecordIdsOnDisk(const std::string& dir, const std::string& kind);

}  // namespace cricket::pod
