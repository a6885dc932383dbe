// Entry points from the HTTP router into an upgraded connection: exec/attach
// and port forwarding, each over SPDY/3.1 or WebSocket. Each call serves the
// connection to its end and returns why it ended.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cri/streaming/remote_command.h"
#include "cri/streaming/transport.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri::streaming {

struct ConnOptions {
  std::chrono::seconds idle_timeout{4 * 3600};
  // The kubelet's streamCreationTimeout: all streams of a request must be there by then.
  std::chrono::seconds stream_creation_timeout{30};
  std::chrono::milliseconds linger{5000};
};

// A TCP connection to 127.0.0.1:port (then [::1]) inside the pod's netns.
using PortConnector = std::function<absl::StatusOr<sys::UniqueFd>(uint16_t port)>;

absl::Status ServeExecSpdy(Transport* t, std::string pending, const std::string& protocol,
                           RemoteCommandSpec spec, SessionFactory factory,
                           const ConnOptions& opts, const std::atomic<bool>& stop);
absl::Status ServeExecWebSocket(Transport* t, std::string pending, const std::string& protocol,
                                RemoteCommandSpec spec, SessionFactory factory,
                                const ConnOptions& opts, const std::atomic<bool>& stop);
absl::Status ServePortForwardSpdy(Transport* t, std::string pending, const std::string& pod_id,
                                  PortConnector connect, const ConnOptions& opts,
                                  const std::atomic<bool>& stop);
absl::Status ServePortForwardWebSocket(Transport* t, std::string pending,
                                       const std::string& protocol,
                                       const std::vector<uint16_t>& ports,
                                       const std::string& pod_id, PortConnector connect,
                                       const ConnOptions& opts, const std::atomic<bool>& stop);

// The status format a remote command subprotocol uses.
StatusFormat FormatFor(const std::string& protocol);

}  // namespace cricket::cri::streaming
