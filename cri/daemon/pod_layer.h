// cricketd's start-up wiring of the layers below cri (cri/daemon/pod_layer.cc).
#pragma once

#include <string>

#include "absl/status/status.h"
#include "conf/config.h"
#include "cri/service/handler_context.h"

namespace cricket::cri {

// Builds the pod layer from the configuration into ctx and recovers the
// pods recorded before a restart (no CNI ADD is re-run).
absl::Status WirePodLayer(HandlerContext& ctx);

// The cricket-monitor binary cricketd starts: runtime.monitor_path, else the
// one next to cricketd (installed) or in the build tree's pod/ dir.
std::string MonitorPath(const conf::Config& config);

}  // namespace cricket::cri
