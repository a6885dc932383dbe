// The client side of port forwarding as kubectl does it: listen on local
// ports, and give each accepted connection a data+error channel pair to the
// pod's port. Over SPDY all pairs share one connection (streams with headers
// streamtype/port/requestid); over WebSocket (v4.portforward.k8s.io) each
// local connection gets its own upgraded connection from a fresh URL.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cri/client/stream_mux.h"

namespace cricket::cri::client {

struct PortPair {
  uint16_t local = 0;  // 0: the kernel picks one
  uint16_t remote = 0;
};

// "8080", "8080:80", ":80" (= 0:80) → a pair; InvalidArgument otherwise.
absl::StatusOr<PortPair> ParsePortPair(std::string_view text);

struct PortForwardOptions {
  StreamTransport transport = StreamTransport::kSpdy;
  std::string address = "127.0.0.1";
  // A fresh one-time URL from the PortForward RPC (called once for SPDY,
  // once per connection for WebSocket).
  std::function<absl::StatusOr<std::string>()> new_url;
  // Told each "Forwarding from 127.0.0.1:L -> R" line once listening.
  std::function<void(const std::string&)> on_listen;
  // Told the errors the server reports for one connection (the forward goes on).
  std::function<void(const std::string&)> on_error;
  // Readable when the forward should stop (a signal).
  int signal_fd = -1;
  std::chrono::milliseconds dial_timeout{10000};
};

// Runs until signal_fd is readable (OK) or the SPDY connection is lost.
absl::Status RunPortForward(const std::vector<PortPair>& ports, const PortForwardOptions& options);

}  // namespace cricket::cri::client
