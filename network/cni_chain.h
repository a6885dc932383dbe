// One verb over a whole network config list: ADD through the chain with
// prevResult, DEL in reverse, CHECK, STATUS and GC (the last two only exist
// from spec 1.1.0 on; callers ask SupportsVerb first).
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "network/cni_config.h"
#include "network/cni_exec.h"
#include "network/cni_result.h"
#include "network/runtime_config.h"
#include "nlohmann/json.hpp"

namespace cricket::network {

// Whether the list's cniVersion knows `verb` (CHECK ≥ 0.4.0, STATUS/GC ≥ 1.1.0).
bool SupportsVerb(const NetworkConfigList& net, const std::string& verb);

// ADD through every plugin in order, each getting the previous one's result.
// On failure the partial result so far is left in *partial (null if none) so
// the caller can DEL with it; nothing is undone here.
absl::StatusOr<CniResult> AddNetworkList(const NetworkConfigList& net, Invocation inv,
                                         const RuntimeConfig& rc, nlohmann::json* partial);

// DEL through every plugin in reverse. Keeps going after a failure so one bad
// plugin does not strand what the others made; the status names every plugin
// that failed.
absl::Status DelNetworkList(const NetworkConfigList& net, Invocation inv, const RuntimeConfig& rc,
                            const nlohmann::json& prev_result);

// CHECK through every plugin with the cached result (a no-op before 0.4.0 or
// with disableCheck).
absl::Status CheckNetworkList(const NetworkConfigList& net, Invocation inv,
                              const RuntimeConfig& rc, const nlohmann::json& result);

// STATUS of every plugin (1.1.0+); OK when the version has no STATUS.
absl::Status StatusNetworkList(const NetworkConfigList& net, Invocation inv);

// GC of every plugin with the attachments to keep (1.1.0+, unless disableGC).
absl::Status GcNetworkList(const NetworkConfigList& net, Invocation inv,
                           const nlohmann::json& valid_attachments);

}  // namespace cricket::network
