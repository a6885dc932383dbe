// ChannelMux over SPDY/3.1 and over WebSocket, and dialing either.
#include "cri/client/stream_mux.h"

#include <unistd.h>

#include <cerrno>
#include <map>

#include "absl/strings/str_cat.h"
#include "cri/client/spdy_session.h"
#include "cri/client/stream_http.h"
#include "cri/client/websocket_handshake.h"
#include "cri/wire/websocket.h"
#include "oci/sys/status.h"

namespace cricket::cri::client {
namespace {

using wire::WsOpcode;

constexpr size_t kMaxWsMessage = 32 * 1024;  // stdin is cut into messages this big
constexpr uint8_t kWsCloseSignalChannel = 255;

class SpdyMux : public ChannelMux {
 public:
  SpdyMux(std::unique_ptr<SpdyClientSession> s, std::string protocol) : session_(std::move(s)) {
    protocol_ = std::move(protocol);
  }
  absl::Status Open(int channel, const wire::SpdyHeaders& headers) override {
    ASSIGN_OR_RETURN(uint32_t id, session_->OpenStream(headers));
    streams_[channel] = id;
    channels_[id] = channel;
    return Move();
  }
  absl::Status Write(int channel, std::string_view data) override {
    ASSIGN_OR_RETURN(uint32_t id, Stream(channel));
    RETURN_IF_ERROR(session_->Write(id, data));
    return Move();
  }
  absl::Status CloseWrite(int channel) override {
    ASSIGN_OR_RETURN(uint32_t id, Stream(channel));
    RETURN_IF_ERROR(session_->CloseWrite(id));
    return Move();
  }
  void Reset(int channel) override {
    auto id = Stream(channel);
    if (!id.ok()) return;
    session_->Reset(*id, wire::kRstCancel);
    streams_.erase(channel);
    channels_.erase(*id);
    Move().IgnoreError();
  }
  int64_t WriteWindow(int channel) const override {
    auto it = streams_.find(channel);
    return it == streams_.end() ? 0 : session_->SendWindow(it->second);
  }
  absl::Status Feed(std::string_view bytes, std::vector<MuxEvent>* events) override {
    std::vector<SpdyEvent> got;
    absl::Status st = session_->Feed(bytes, &got);
    for (auto& e : got) {
      if (e.kind == SpdyEvent::kGoAway) {
        events->push_back(MuxEvent{MuxEvent::kClosed, -1, ""});
        continue;
      }
      auto it = channels_.find(e.stream_id);
      if (it == channels_.end()) continue;
      if (e.kind == SpdyEvent::kData) {
        events->push_back(MuxEvent{MuxEvent::kData, it->second, std::move(e.data)});
      } else if (e.kind == SpdyEvent::kFin) {
        events->push_back(MuxEvent{MuxEvent::kEof, it->second, ""});
      } else if (e.kind == SpdyEvent::kReset) {
        events->push_back(MuxEvent{MuxEvent::kReset, it->second, ""});
      }
    }
    RETURN_IF_ERROR(Move());
    return st;
  }
  void Shutdown() override {
    session_->GoAway();
    Move().IgnoreError();
  }

 private:
  absl::StatusOr<uint32_t> Stream(int channel) const {
    auto it = streams_.find(channel);
    if (it == streams_.end()) return absl::NotFoundError(absl::StrCat("no channel ", channel));
    return it->second;
  }
  absl::Status Move() {
    outbox_ += session_->outbox();
    session_->outbox().clear();
    return absl::OkStatus();
  }

  std::unique_ptr<SpdyClientSession> session_;
  std::map<int, uint32_t> streams_;
  std::map<uint32_t, int> channels_;
};

class WebSocketMux : public ChannelMux {
 public:
  explicit WebSocketMux(std::string protocol) { protocol_ = std::move(protocol); }
  absl::Status Open(int, const wire::SpdyHeaders&) override { return absl::OkStatus(); }
  absl::Status Write(int channel, std::string_view data) override {
    if (close_sent_) return absl::FailedPreconditionError("websocket: already closed");
    do {
      size_t n = std::min(data.size(), kMaxWsMessage);
      std::string msg(1, static_cast<char>(channel));
      msg.append(data.substr(0, n));
      outbox_ += wire::EncodeWsFrame(WsOpcode::kBinary, msg, wire::RandomWsMaskKey());
      data.remove_prefix(n);
    } while (!data.empty());
    return absl::OkStatus();
  }
  absl::Status CloseWrite(int channel) override {
    // Only v5 can say "no more stdin": channel 255 carrying the channel byte.
    if (protocol_ != "v5.channel.k8s.io" || close_sent_) return absl::OkStatus();
    std::string msg = {static_cast<char>(kWsCloseSignalChannel), static_cast<char>(channel)};
    outbox_ += wire::EncodeWsFrame(WsOpcode::kBinary, msg, wire::RandomWsMaskKey());
    return absl::OkStatus();
  }
  void Reset(int) override {}
  int64_t WriteWindow(int) const override { return close_sent_ ? 0 : 1 << 20; }
  absl::Status Feed(std::string_view bytes, std::vector<MuxEvent>* events) override {
    decoder_.Append(bytes);
    while (true) {
      ASSIGN_OR_RETURN(auto msg, decoder_.Next());
      if (!msg) return absl::OkStatus();
      switch (msg->opcode) {
        case WsOpcode::kPing:
          outbox_ += wire::EncodeWsFrame(WsOpcode::kPong, msg->payload, wire::RandomWsMaskKey());
          break;
        case WsOpcode::kClose:
          Shutdown();
          events->push_back(MuxEvent{MuxEvent::kClosed, -1, ""});
          break;
        case WsOpcode::kBinary:
          // An empty message (or only the channel byte) carries nothing.
          if (msg->payload.size() > 1) {
            events->push_back(MuxEvent{MuxEvent::kData, static_cast<uint8_t>(msg->payload[0]),
                                       msg->payload.substr(1)});
          }
          break;
        case WsOpcode::kText:
          return absl::InvalidArgumentError("websocket: text message on a binary channel protocol");
        default:
          break;  // pongs
      }
    }
  }
  void Shutdown() override {
    if (close_sent_) return;
    close_sent_ = true;
    outbox_ += wire::EncodeWsFrame(WsOpcode::kClose, wire::WsClosePayload(wire::kWsCloseNormal, ""),
                                   wire::RandomWsMaskKey());
  }

 private:
  wire::WsDecoder decoder_{wire::WsSender::kServer};
  bool close_sent_ = false;
};

}  // namespace

absl::StatusOr<StreamTransport> ParseTransport(std::string_view name) {
  if (name == "spdy") return StreamTransport::kSpdy;
  if (name == "websocket" || name == "ws") return StreamTransport::kWebSocket;
  return absl::InvalidArgumentError(
      absl::StrCat("transport \"", std::string(name), "\": want spdy or websocket"));
}

absl::StatusOr<MuxConnection> DialMux(std::string_view url, StreamTransport transport,
                                      const std::vector<std::string>& protocols,
                                      std::chrono::milliseconds timeout) {
  ASSIGN_OR_RETURN(StreamUrl u, ParseStreamUrl(url));
  MuxConnection c;
  ASSIGN_OR_RETURN(c.fd, DialStreamServer(u, timeout));
  if (transport == StreamTransport::kWebSocket) {
    std::string key = wire::NewWsKey();
    ASSIGN_OR_RETURN(auto head, Upgrade(c.fd.get(), WsUpgradeRequest(u, key, protocols), timeout));
    ASSIGN_OR_RETURN(std::string proto, CheckWsUpgrade(head, key, protocols));
    c.mux = std::make_unique<WebSocketMux>(proto);
    c.early_bytes = std::move(head.rest);
    return c;
  }
  ASSIGN_OR_RETURN(auto head, Upgrade(c.fd.get(), SpdyUpgradeRequest(u, protocols), timeout));
  std::string proto = head.Get("x-stream-protocol-version").value_or("");
  if (proto.empty() || std::find(protocols.begin(), protocols.end(), proto) == protocols.end()) {
    return absl::FailedPreconditionError(absl::StrCat("spdy upgrade: the server chose protocol \"",
                                                      proto, "\", which was not offered"));
  }
  ASSIGN_OR_RETURN(auto session, SpdyClientSession::Make());
  c.mux = std::make_unique<SpdyMux>(std::move(session), proto);
  c.early_bytes = std::move(head.rest);
  return c;
}

absl::Status FlushMux(int fd, ChannelMux& mux) {
  std::string& out = mux.outbox();
  while (!out.empty()) {
    ssize_t n = write(fd, out.data(), out.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) return absl::OkStatus();
    if (n < 0) return sys::ErrnoStatus(errno, "write to streaming server");
    out.erase(0, n);
  }
  return absl::OkStatus();
}

absl::Status ReadMux(int fd, ChannelMux& mux, std::vector<MuxEvent>* events, bool* closed) {
  char buf[64 * 1024];
  ssize_t n = read(fd, buf, sizeof(buf));
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return absl::OkStatus();
  if (n < 0 && errno == ECONNRESET) n = 0;
  if (n < 0) return sys::ErrnoStatus(errno, "read from streaming server");
  if (n == 0) {
    *closed = true;
    return absl::OkStatus();
  }
  return mux.Feed(std::string_view(buf, n), events);
}

}  // namespace cricket::cri::client
