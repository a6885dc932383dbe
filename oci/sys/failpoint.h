// Failpoints: named places between the steps of a multi-step mutation where a
// test can make the process crash (SIGKILL itself, no cleanup), fail the step
// with an error, or pause. They are armed only from the environment
// (CRICKET_FAILPOINTS), so production costs one relaxed atomic load per point.
//
//   CRICKET_FAILPOINTS="pod.run.cni_added=crash;image.pull.layer_unpacked=error@2;x=delay:300"
//
// action: crash | error | delay:<ms>; "@n" fires on the nth hit only (1-based,
// default the first). An armed name that no code defines aborts the process at
// its first failpoint, so a test cannot silently arm a typo.
//
// A point is defined once, at namespace scope, next to the code it guards:
//   CRICKET_DEFINE_FAILPOINT(kCniAdded, "pod.run.cni_added");
//   ... RETURN_IF_ERROR(sys::Failpoint(kCniAdded));
// and `cricketd failpoints` lists every defined name.
//
// A failpoint is also a step boundary where a call whose caller has gone
// (sys::CallerGone, caller.h) stops: Failpoint then returns Cancelled or
// DeadlineExceeded naming the point, and the mutation rolls back as it does
// for an injected error.
#pragma once

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "oci/sys/caller.h"

namespace cricket::sys {

class FailpointSite {
 public:
  // Registers the name; sites live at namespace scope for the program's life.
  explicit FailpointSite(const char* name);
  const char* name() const { return name_; }

 private:
  const char* name_;
};

namespace failpoint_internal {
extern std::atomic<bool> g_armed;
absl::Status Hit(const FailpointSite& site);
}  // namespace failpoint_internal

// OK unless the site is armed (then it crashes, returns Unavailable naming
// the point, or sleeps) or the caller has gone.
inline absl::Status Failpoint(const FailpointSite& site) {
  if (failpoint_internal::g_armed.load(std::memory_order_relaxed)) {
    if (absl::Status st = failpoint_internal::Hit(site); !st.ok()) return st;
  }
  return CallerGone(site.name());
}

// Every defined name, sorted (for `cricketd failpoints` and the crash matrix).
std::vector<std::string> FailpointNames();

// Parses a CRICKET_FAILPOINTS value; InvalidArgument names the bad entry.
// Exposed for tests; the environment is read once, before main.
absl::Status ArmFailpoints(std::string_view spec);

}  // namespace cricket::sys

#define CRICKET_DEFINE_FAILPOINT(var, name) \
  static const ::cricket::sys::FailpointSite var(name)
