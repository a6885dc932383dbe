// What every CRI handler shares: the effective configuration and the providers
// that later issues plug in (network readiness now; pod and image managers later).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "conf/config.h"

namespace cricket::cri {

// The NetworkReady condition as the CNI layer sees it.
struct NetworkCondition {
  bool ready = false;
  std::string reason;
  std::string message;
};
using NetworkStatusProvider = std::function<NetworkCondition()>;

// Until CNI is wired: not ready, reason "NetworkPluginNotReady" (the kubelet's word).
NetworkCondition CniNotLoadedYet();

struct HandlerContext {
  conf::Config config;
  NetworkStatusProvider network_status = CniNotLoadedYet;
};

// A stream writer for server-streaming RPCs: false once the client has gone.
template <typename T>
using Sink = std::function<bool(const T&)>;

// UNIMPLEMENTED naming the RPC: "RunPodSandbox is not implemented yet".
absl::Status NotImplemented(std::string_view rpc);

}  // namespace cricket::cri
