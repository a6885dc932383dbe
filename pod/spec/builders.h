// The steps of building a container's OCI spec; each edits one part of it.
// Build() (build.cc) runs them in order.
#pragma once

#include "absl/status/status.h"
#include "pod/spec/inputs.h"

namespace cricket::pod::spec {

absl::Status ApplyProcess(const Inputs& in, Output& out);     // args, env, cwd, user, tty, rlimits
absl::Status ApplySecurity(const Inputs& in, Output& out);    // caps, seccomp, masks, nnp, privileged
absl::Status ApplyMounts(const Inputs& in, Output& out);      // default, pod files, CRI mounts, devices
absl::Status ApplyNamespaces(const Inputs& in, Output& out);  // pod / node / container / target
absl::Status ApplyResources(const Inputs& in, Output& out);   // cgroup path and limits

// Every capability the kernel knows, "CAP_" form (for privileged and "ALL").
const std::vector<std::string>& AllCapabilities();

// The built-in RuntimeDefault seccomp profile (an OCI linux.seccomp object)
// for the given effective capability set.
nlohmann::json DefaultSeccompProfile(const std::vector<std::string>& caps);

}  // namespace cricket::pod::spec
