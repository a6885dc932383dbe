// Capability names ↔ numbers and applying the five capability sets of a
// process spec (bounding and ambient via prctl, the rest via capset).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "oci/spec.h"

namespace cricket::oci::linux {

// "CAP_SYS_ADMIN" (or "sys_admin") → 21. NotFound for an unknown name.
absl::StatusOr<int> CapFromName(const std::string& name);
std::string CapName(int cap);
// Highest capability the running kernel knows (/proc/sys/kernel/cap_last_cap).
int LastCap();

// Numbers of every named cap; unknown names are InvalidArgument naming the
// set ("process.capabilities.bounding: unknown capability CAP_FOO") except
// caps newer than the kernel, which are skipped with a warning as runc does.
absl::StatusOr<std::vector<int>> CapsFromNames(const std::vector<std::string>& names,
                                               const std::string& set);

// Removes from every set the names the kernel does not know (unknown names and
// caps newer than the kernel) and returns them, each once, in order. runc
// ignores them with one warning; ignoring grants nothing, so neither do we.
std::vector<std::string> DropUnknownCaps(Capabilities& caps);
// runc's warning for them: "ignoring unknown or unavailable capabilities: [A B]".
void WarnUnknownCaps(const std::vector<std::string>& names);

// True when the calling process has `cap` in its effective set.
bool HasEffectiveCap(int cap);
// The capabilities the calling process can pass on to a container: in its
// bounding set and its permitted set (kernel order, up to LastCap()).
std::vector<int> HeldCaps();

// Drops every capability not in the bounding set.
absl::Status ApplyBounding(const Capabilities& caps);
// Sets effective/permitted/inheritable (after the uid switch) and raises ambient.
absl::Status ApplyCaps(const Capabilities& caps);

}  // namespace cricket::oci::linux
