// What every CRI handler shares: the effective configuration, the network
// readiness provider, and the services below cri (pod and image layers, the
// event bus, stats, the streaming server).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "conf/config.h"
#include "conf/config_holder.h"
#include "network/network_manager.h"
#include "image/image_service.h"
#include "pod/container_manager.h"
#include "pod/image_provider.h"
#include "pod/record_store.h"
#include "pod/sandbox_manager.h"
#include "pod/events.h"
#include "pod/stats_service.h"

namespace cricket::cri {

namespace streaming {
class StreamingServer;
}  // namespace streaming

// The NetworkReady condition as the CNI layer sees it.
struct NetworkCondition {
  bool ready = false;
  std::string reason;
  std::string message;
};
using NetworkStatusProvider = std::function<NetworkCondition()>;

// Before the network layer is plugged in: not ready, reason
// "NetworkPluginNotReady" (the kubelet's word).
NetworkCondition CniNotLoadedYet();

struct HandlerContext {
  conf::Config config;  // as at start-up
  // What is in effect after the last reload (issue 19; cricketd sets it):
  // config with the live keys re-read on SIGHUP. Null: config is.
  std::shared_ptr<conf::ConfigHolder> current_config;
  NetworkStatusProvider network_status = CniNotLoadedYet;
  // Set by WirePodLayer (and streaming by the daemon). Handlers use them
  // without checks: Server::Start refuses a context where one is missing.
  std::shared_ptr<network::NetworkManager> network;
  std::shared_ptr<pod::RecordStore> records;
  std::shared_ptr<pod::SandboxManager> sandboxes;
  std::shared_ptr<image::ImageService> images;
  std::shared_ptr<pod::RootfsProvider> rootfs;
  std::shared_ptr<pod::ContainerManager> containers;
  std::shared_ptr<pod::EventBus> events;      // GetContainerEvents
  std::shared_ptr<pod::StatsService> stats;   // *Stats and metrics RPCs
  // Exec/Attach/PortForward URLs (cri/streaming).
  std::shared_ptr<streaming::StreamingServer> streaming;
};

// OK when every service above is set; FailedPrecondition naming the missing
// ones otherwise. Checked once where the handlers are made (Server::Start),
// so that no RPC has to test for a service the daemon always wires.
absl::Status CheckWired(const HandlerContext& ctx);

// A stream writer for server-streaming RPCs: false once the client has gone.
template <typename T>
using Sink = std::function<bool(const T&)>;

}  // namespace cricket::cri
