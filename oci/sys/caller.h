// The caller of the call a thread is running (a gRPC client with a deadline).
// The RPC wrapper opens a CallerScope; the steps of a multi-step mutation
// check CallerGone() at their boundaries (every failpoint does), so a call
// whose caller has gone stops at the next step and rolls back instead of
// finishing work nobody will learn about (the kubelet retries it anyway).
#pragma once

#include <functional>
#include <string_view>

#include "absl/status/status.h"

namespace cricket::sys {

class CallerScope {
 public:
  // `gone` returns OK while the caller waits, else Cancelled or
  // DeadlineExceeded. Scopes nest; the innermost one applies.
  explicit CallerScope(std::function<absl::Status()> gone);
  ~CallerScope();
  CallerScope(const CallerScope&) = delete;
  CallerScope& operator=(const CallerScope&) = delete;

 private:
  std::function<absl::Status()> gone_;
  CallerScope* outer_;
  friend absl::Status CallerGoneSlow(std::string_view step);
};

namespace caller_internal {
extern thread_local CallerScope* t_scope;
}  // namespace caller_internal

absl::Status CallerGoneSlow(std::string_view step);

// OK when no scope is open or the caller still waits; otherwise the scope's
// status, naming the step where the call stopped.
inline absl::Status CallerGone(std::string_view step) {
  if (caller_internal::t_scope == nullptr) return absl::OkStatus();
  return CallerGoneSlow(step);
}

}  // namespace cricket::sys
