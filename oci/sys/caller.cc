#include "oci/sys/caller.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace cricket::sys {

namespace caller_internal {
thread_local CallerScope* t_scope = nullptr;
}  // namespace caller_internal

CallerScope::CallerScope(std::function<absl::Status()> gone)
    : gone_(std::move(gone)), outer_(caller_internal::t_scope) {
  caller_internal::t_scope = this;
}

CallerScope::~CallerScope() { caller_internal::t_scope = outer_; }

absl::Status CallerGoneSlow(std::string_view step) {
  absl::Status st = caller_internal::t_scope->gone_();
  if (st.ok()) return st;
  return absl::Status(st.code(), absl::StrCat(st.message(), ": stopped before ", std::string(step)));
}

}  // namespace cricket::sys
