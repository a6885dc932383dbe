// Persistent pod and container records: one versioned JSON file per object
// under <dir>/<kind>/<id>.json, written atomically, so a kill -9 at any point
// leaves either the old record or the new one.
#pragma once

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
  // Every record of a kind. Leftover temp files from a crash are removed; an
  // unreadable record is logged and moved aside to <id>.json.corrupt so one
  // bad file cannot stop the daemon from starting.
  absl::StatusOr<std::vector<Loaded>> LoadAll(const std::string& kind);

  const std::string& dir() const { return dir_; }

 private:
  std::string PathOf(const std::string& kind, const std::string& id) const;
  std::string dir_;
};

}  // namespace cricket::pod
