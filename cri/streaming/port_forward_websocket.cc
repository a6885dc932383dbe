// PortForward over WebSocket: the ports come from ?port=; port i has data
// channel 2i and error channel 2i+1, and the first message on each carries
// the port as 2 little-endian bytes (the kubelet's websocket port forwarder).
#include <memory>
#include <vector>

#include "cri/streaming/handshake.h"
#include "cri/streaming/port_relay.h"
#include "cri/streaming/sessions.h"
#include "cri/streaming/ws_connection.h"

namespace cricket::cri::streaming {
namespace {

class WsPortForward : public WsConnection::Handler {
 public:
  WsPortForward(Transport* t, const std::string& protocol, const std::vector<uint16_t>& ports,
                const std::string& pod_id, PortConnector connect, const ConnOptions& opts)
      : conn_(t, {protocol == kProtoV4Base64, opts.idle_timeout, opts.linger}) {
    for (size_t i = 0; i < ports.size(); i++) {
      int data = static_cast<int>(2 * i), error = data + 1;
      PortRelay::Callbacks cb;
      cb.to_client = [this, data](std::string_view d) { return conn_.Write(data, d); };
      cb.error = [this, error](const std::string& msg) { conn_.Write(error, msg); };
      cb.done = [this] {
        if (++done_ == static_cast<int>(relays_.size())) conn_.Finish();
      };
      relays_.push_back(std::make_unique<PortRelay>(pod_id, ports[i], connect, std::move(cb)));
    }
  }

  absl::Status Serve(Transport* t, std::string pending, const std::atomic<bool>& stop) {
    for (size_t i = 0; i < relays_.size(); i++) {
      uint16_t port = relays_[i]->port();
      std::string le{static_cast<char>(port & 0xff), static_cast<char>(port >> 8)};
      conn_.Write(static_cast<int>(2 * i), le);
      conn_.Write(static_cast<int>(2 * i + 1), le);
    }
    for (auto& r : relays_) r->Start();
    absl::Status st = conn_.Serve(this, std::move(pending), stop);
    t->Shutdown();
    for (auto& r : relays_) r->Stop();
    return st;
  }

  void OnMessage(int channel, std::string_view data) override {
    size_t i = static_cast<size_t>(channel) / 2;
    if (channel % 2 == 0 && i < relays_.size()) relays_[i]->ToPod(data);
  }

 private:
  WsConnection conn_;
  std::vector<std::unique_ptr<PortRelay>> relays_;
  std::atomic<int> done_{0};
};

}  // namespace

absl::Status ServePortForwardWebSocket(Transport* t, std::string pending,
                                       const std::string& protocol,
                                       const std::vector<uint16_t>& ports,
                                       const std::string& pod_id, PortConnector connect,
                                       const ConnOptions& opts, const std::atomic<bool>& stop) {
  WsPortForward pf(t, protocol, ports, pod_id, std::move(connect), opts);
  return pf.Serve(t, std::move(pending), stop);
}

}  // namespace cricket::cri::streaming
