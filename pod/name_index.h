// Name reservation (CRI-O's registrar) and id-prefix lookup. The kubelet
// retries with the same metadata, so a name maps to exactly one id: a retry
// finds the holder instead of creating a second object. Thread-safe.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace cricket::pod {

class NameIndex {
 public:
  // OK when free or already held by `id`; AlreadyExists naming the holder
  // otherwise.
  absl::Status Reserve(const std::string& name, const std::string& id);
  void Release(const std::string& name);
  std::optional<std::string> Holder(const std::string& name) const;

 private:
  mutable absl::Mutex mu_;
  std::map<std::string, std::string> by_name_;
};

class IdIndex {
 public:
  void Add(const std::string& id);
  void Remove(const std::string& id);
  // The full id for a unique prefix. NotFound when nothing matches;
  // InvalidArgument listing the matches when the prefix is ambiguous.
  absl::StatusOr<std::string> Resolve(const std::string& prefix) const;

 private:
  mutable absl::Mutex mu_;
  std::set<std::string> ids_;
};

}  // namespace cricket::pod
