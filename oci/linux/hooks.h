// OCI hooks: each runs with the container state JSON on stdin, its own env,
// and an optional timeout. What a failure means depends on the phase, and
// the callers decide (createRuntime failure destroys the container;
// poststart/poststop failures are only logged).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "oci/spec.h"

namespace cricket::oci::linux {

// Runs the hooks in order; stops at the first failure, which names the phase,
// the hook path, its exit status and stderr.
absl::Status RunHooks(const std::vector<Hook>& hooks, const std::string& state_json,
                      const std::string& phase);

// Runs every hook and logs failures (poststart, poststop).
void RunHooksLogged(const std::vector<Hook>& hooks, const std::string& state_json,
                    const std::string& phase);

}  // namespace cricket::oci::linux
