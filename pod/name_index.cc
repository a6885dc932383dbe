// Name reservation and unique-prefix resolution.
#include "pod/name_index.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace cricket::pod {

absl::Status NameIndex::Reserve(const std::string& name, const std::string& id) {
  absl::MutexLock l(&mu_);
  auto [it, inserted] = by_name_.emplace(name, id);
  if (inserted || it->second == id) return absl::OkStatus();
  return absl::AlreadyExistsError(
      absl::StrCat("name \"", name, "\" is reserved for ", it->second));
}

void NameIndex::Release(const std::string& name) {
  absl::MutexLock l(&mu_);
  by_name_.erase(name);
}

std::optional<std::string> NameIndex::Holder(const std::string& name) const {
  absl::MutexLock l(&mu_);
  auto it = by_name_.find(name);
  if (it == by_name_.end()) return std::nullopt;
  return it->second;
}

void IdIndex::Add(const std::string& id) {
  absl::MutexLock l(&mu_);
  ids_.insert(id);
}

void IdIndex::Remove(const std::string& id) {
  absl::MutexLock l(&mu_);
  ids_.erase(id);
}

absl::StatusOr<std::string> IdIndex::Resolve(const std::string& prefix) const {
  if (prefix.empty()) return absl::InvalidArgumentError("empty id");
  absl::MutexLock l(&mu_);
  std::vector<std::string> matches;
  for (auto it = ids_.lower_bound(prefix); it != ids_.end() && it->compare(0, prefix.size(), prefix) == 0;
       ++it) {
    matches.push_back(*it);
    if (*it == prefix) return *it;  // an exact id always wins
  }
  if (matches.empty()) return absl::NotFoundError(absl::StrCat("no object with id \"", prefix, "\""));
  if (matches.size() > 1) {
    return absl::InvalidArgumentError(absl::StrCat("id prefix \"", prefix, "\" is ambiguous: ",
                                                   absl::StrJoin(matches, ", ")));
  }
  return matches[0];
}

}  // namespace cricket::pod
