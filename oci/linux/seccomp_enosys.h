// The -ENOSYS prefix of a seccomp filter, as runc prepends it: a syscall
// numbered above the newest one the profile names (for its architecture) is
// newer than the profile, so it answers ENOSYS, the kernel's own answer for a
// syscall it lacks. A libc that tries a new syscall first (clone3, fchmodat2,
// ...) then falls back to the old one; EPERM would make it give up.
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <map>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/spec.h"

namespace cricket::oci::linux {

// The newest syscall number the profile names, per AUDIT_ARCH (x86_64 and x32
// share one, x32's numbers carry bit 30), per libseccomp arch token. Every
// rule counts whatever its action: a listed denial is still a known syscall.
using LastSyscalls = std::map<uint32_t, std::map<uint32_t, uint32_t>>;
absl::StatusOr<LastSyscalls> FindLastSyscalls(const Seccomp& s);

// The prefix program (empty when the default action lets calls through or
// already answers ENOSYS). Its fall-through lands on the instruction after it.
absl::StatusOr<std::vector<sock_filter>> EnosysStub(const Seccomp& s);

}  // namespace cricket::oci::linux
