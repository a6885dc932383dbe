// The server side of one upgraded WebSocket connection speaking the
// Kubernetes channel protocols: every message is a channel number then data
// (binary), or '0'+channel then base64 (the base64 protocols). Ping, pong and
// close are handled here; messages go to a handler.
#pragma once

#include <atomic>
#include <chrono>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "cri/streaming/connection_pace.h"
#include "cri/streaming/transport.h"
#include "cri/wire/websocket.h"

namespace cricket::cri::streaming {

class WsConnection {
 public:
  class Handler {
   public:
    virtual ~Handler() = default;
    virtual void OnMessage(int channel, std::string_view data) = 0;
    virtual void OnTick() {}
  };
  struct Options {
    bool base64 = false;
    std::chrono::seconds idle_timeout{4 * 3600};
    std::chrono::milliseconds linger{5000};
  };

  WsConnection(Transport* t, Options opts)
      : t_(t), opts_(opts), pace_(opts.idle_timeout, opts.linger) {}

  // Until the client closes, a protocol error (close 1002 sent), idle, stop,
  // or Finish() plus the linger.
  absl::Status Serve(Handler* h, std::string pending, const std::atomic<bool>& stop);
  // One message on a channel; thread-safe. False once the connection is down.
  bool Write(int channel, std::string_view data);
  // Sends a close frame; Serve ends when the client answers or the linger passes.
  void Finish(uint16_t code = wire::kWsCloseNormal, std::string_view reason = "");

 private:
  absl::Status OnFrame(Handler* h, const wire::WsFrame& f, bool* closed);
  bool Send(const std::string& frame);

  Transport* const t_;
  const Options opts_;
  std::atomic<bool> down_{false};
  ConnectionPace pace_;
};

}  // namespace cricket::cri::streaming
