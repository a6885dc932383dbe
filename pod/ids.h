// Strong id types for pods and containers, so the two can't be swapped by
// accident, and the random id generator (64 hex chars, as the peers use).
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace cricket::pod {

template <typename Tag>
class Id {
 public:
  Id() = default;
  explicit Id(std::string v) : value_(std::move(v)) {}
  const std::string& str() const { return value_; }
  bool empty() const { return value_.empty(); }
  auto operator<=>(const Id&) const = default;

 private:
  std::string value_;
};

struct PodTag {};
struct ContainerTag {};
using PodId = Id<PodTag>;
using ContainerId = Id<ContainerTag>;

// 32 random bytes from getrandom(2), hex encoded.
std::string NewRandomId();

// An id must be 1..64 chars of [0-9a-f] when it is ours; the CRI may hand us
// prefixes for lookups, which the indexes resolve.
absl::Status ValidateIdChars(std::string_view id);

}  // namespace cricket::pod
