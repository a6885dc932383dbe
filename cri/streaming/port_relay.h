// One forwarded connection of PortForward: a TCP connection in the pod's
// network namespace relayed to a client stream pair (SPDY) or channel pair
// (WebSocket), with errors reported as text the way the kubelet words them.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "cri/streaming/fd_pump.h"
#include "cri/streaming/sessions.h"

namespace cricket::cri::streaming {

class PortRelay {
 public:
  struct Callbacks {
    std::function<bool(std::string_view)> to_client;  // pod bytes to the data stream
    std::function<void(const std::string&)> error;    // message for the error stream
    std::function<void()> done;                       // pod side closed or failed
  };
  PortRelay(std::string pod_id, uint16_t port, PortConnector connect, Callbacks cb);
  ~PortRelay();  // Stop()

  // Connects (in a thread) and relays until the pod side closes.
  void Start();
  // Client bytes for the pod; queued until connected.
  void ToPod(std::string_view data);
  // The client finished sending: half-close towards the pod once written.
  void CloseToPod();
  void Stop();
  uint16_t port() const { return port_; }

 private:
  void Run();
  const std::string pod_id_;
  const uint16_t port_;
  PortConnector connect_;
  Callbacks cb_;
  std::mutex mu_;
  sys::UniqueFd fd_;
  FdWriter to_pod_;
  std::unique_ptr<FdReader> from_pod_;
  std::thread thread_;
};

}  // namespace cricket::cri::streaming
