// Helpers shared by the Runtime verbs (runtime*.cc); not a public API.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "oci/cgroup/manager.h"
#include "oci/runtime.h"
#include "oci/spec.h"
#include "oci/state_dir.h"

namespace cricket::oci::internal {

// A container as found on disk: its stored state with the status computed
// from the live process (pid + start time), the exec FIFO and the pause mark.
struct Loaded {
  StoredState stored;
  Spec spec;  // parsed from stored.config only with Need::kSpec
};

// What a verb needs of the stored state. Most verbs only look at the status,
// pid and cgroup; parsing the stored spec for them (100 times for a `list`)
// would be wasted work.
enum class Need { kState, kSpec };
absl::StatusOr<Loaded> Load(const RuntimeOptions& o, const std::string& id, Need need);
// "created" | "running" | "paused" | "stopped", from the process and FIFO.
std::string ComputeStatus(const StateDir& dir, const StoredState& s);
// The cgroup manager of an existing container.
absl::StatusOr<std::unique_ptr<cgroup::Manager>> AttachCgroup(const StoredState& s);
// The runtime-spec state JSON hooks read on stdin.
std::string HookState(const ContainerState& s);

}  // namespace cricket::oci::internal
