// PortForward over SPDY/3.1 (portforward.k8s.io): the client opens an error
// stream and a data stream per forwarded connection, tied by the requestID
// header (or, from old clients, by consecutive stream ids), each naming the port.
#include <charconv>
#include <map>
#include <memory>

#include "cri/streaming/port_relay.h"
#include "cri/streaming/sessions.h"
#include "cri/streaming/spdy_connection.h"
#include "oci/sys/log.h"

namespace cricket::cri::streaming {
namespace {

std::optional<uint16_t> ParsePort(const std::string& s) {
  unsigned v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || v == 0 || v > 65535) return std::nullopt;
  return static_cast<uint16_t>(v);
}

class SpdyPortForward : public SpdyConnection::Handler {
 public:
  SpdyPortForward(Transport* t, std::string pod_id, PortConnector connect,
                  const ConnOptions& opts)
      : conn_(t, {opts.idle_timeout, opts.linger}),
        pod_id_(std::move(pod_id)),
        connect_(std::move(connect)),
        creation_timeout_(opts.stream_creation_timeout) {}

  absl::Status Serve(Transport* t, std::string pending, const std::atomic<bool>& stop) {
    absl::Status st = conn_.Serve(this, std::move(pending), stop);
    conn_.Abort();
    t->Shutdown();
    std::map<std::string, Pair> pairs;
    {
      std::lock_guard<std::mutex> lock(mu_);
      pairs.swap(pairs_);
    }
    pairs.clear();  // stops every relay
    return st;
  }

  bool AcceptStream(uint32_t id, const wire::SpdyHeaders& headers) override {
    std::string type = wire::SpdyHeaderValue(headers, "streamtype");
    auto port = ParsePort(wire::SpdyHeaderValue(headers, "port"));
    std::string req = wire::SpdyHeaderValue(headers, "requestid");
    if (req.empty()) {  // the kubelet's best effort for clients before request ids
      req = std::to_string(type == "data" ? id - 2 : id);
    }
    if ((type != "data" && type != "error") || !port) {
      sys::LogWarn("refused port-forward stream",
                   {{"pod", pod_id_}, {"streamType", type}, {"port", wire::SpdyHeaderValue(headers, "port")}});
      return false;
    }
    std::lock_guard<std::mutex> lock(mu_);
    Pair& p = pairs_[req];
    uint32_t& slot = type == "data" ? p.data_id : p.error_id;
    if (slot != 0 || (p.port != 0 && p.port != *port)) return false;
    slot = id;
    p.port = *port;
    if (p.created == std::chrono::steady_clock::time_point()) p.created = std::chrono::steady_clock::now();
    by_stream_[id] = req;
    return true;
  }

  void StreamReady(uint32_t id) override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = pairs_.find(by_stream_[id]);
    if (it == pairs_.end() || !it->second.data_id || !it->second.error_id || it->second.relay) return;
    Pair& p = it->second;
    uint32_t data = p.data_id, error = p.error_id;
    PortRelay::Callbacks cb;
    cb.to_client = [this, data](std::string_view d) { return conn_.WriteData(data, d, false); };
    cb.error = [this, error](const std::string& msg) { conn_.WriteData(error, msg, false); };
    cb.done = [this, data, error, req = it->first] {
      conn_.WriteData(data, "", true);
      conn_.WriteData(error, "", true);
      std::lock_guard<std::mutex> lock(mu_);
      if (auto p = pairs_.find(req); p != pairs_.end()) p->second.finished = true;
    };
    p.relay = std::make_unique<PortRelay>(pod_id_, p.port, connect_, std::move(cb));
    p.relay->Start();
  }

  void OnData(uint32_t id, std::string_view data) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (PortRelay* r = RelayFor(id, /*data_only=*/true)) r->ToPod(data);
  }
  void OnRemoteClose(uint32_t id) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (PortRelay* r = RelayFor(id, true)) r->CloseToPod();
  }
  void OnReset(uint32_t id) override {
    std::unique_ptr<PortRelay> gone;
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = by_stream_.find(id);
      if (it == by_stream_.end()) return;
      auto p = pairs_.find(it->second);
      if (p != pairs_.end()) {
        gone = std::move(p->second.relay);
        pairs_.erase(p);
      }
    }
    gone.reset();
  }
  void OnTick() override {
    std::vector<uint32_t> stale;
    std::vector<std::unique_ptr<PortRelay>> finished;  // joined outside the lock
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto now = std::chrono::steady_clock::now();
      for (auto it = pairs_.begin(); it != pairs_.end();) {
        Pair& p = it->second;
        if (p.finished) {
          finished.push_back(std::move(p.relay));
          for (uint32_t id : {p.data_id, p.error_id}) by_stream_.erase(id);
          it = pairs_.erase(it);
        } else if (!p.relay && now - p.created > creation_timeout_) {
          for (uint32_t id : {p.data_id, p.error_id}) {
            if (id) stale.push_back(id);
          }
          it = pairs_.erase(it);
        } else {
          ++it;
        }
      }
    }
    for (uint32_t id : stale) conn_.Reset(id, wire::kRstCancel);
  }

 private:
  struct Pair {
    uint32_t data_id = 0, error_id = 0;
    uint16_t port = 0;
    std::chrono::steady_clock::time_point created;
    std::unique_ptr<PortRelay> relay;
    bool finished = false;
  };
  PortRelay* RelayFor(uint32_t id, bool data_only) {
    auto it = by_stream_.find(id);
    if (it == by_stream_.end()) return nullptr;
    auto p = pairs_.find(it->second);
    if (p == pairs_.end() || (data_only && p->second.data_id != id)) return nullptr;
    return p->second.relay.get();
  }

  SpdyConnection conn_;
  const std::string pod_id_;
  PortConnector connect_;
  const std::chrono::seconds creation_timeout_;
  std::mutex mu_;
  std::map<std::string, Pair> pairs_;
  std::map<uint32_t, std::string> by_stream_;
};

}  // namespace

absl::Status ServePortForwardSpdy(Transport* t, std::string pending, const std::string& pod_id,
                                  PortConnector connect, const ConnOptions& opts,
                                  const std::atomic<bool>& stop) {
  SpdyPortForward pf(t, pod_id, std::move(connect), opts);
  return pf.Serve(t, std::move(pending), stop);
}

}  // namespace cricket::cri::streaming
