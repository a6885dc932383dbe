// WsConnection: the frame loop and channel codec of k8s.io/apiserver's
// wsstream (binary and base64 channel protocols).
#include "cri/streaming/ws_connection.h"

#include "absl/strings/str_cat.h"
#include "cri/streaming/base64.h"

namespace cricket::cri::streaming {
namespace {

constexpr uint64_t kMaxMessage = 16 << 20;

}  // namespace

absl::Status WsConnection::Serve(Handler* h, std::string buf, const std::atomic<bool>& stop) {
  WsMessageAssembler assembler(kMaxMessage);
  pace_.Touch();
  while (true) {
    while (true) {
      size_t used = 0;
      auto f = ParseWsFrame(buf, &used, /*require_mask=*/true, kMaxMessage);
      absl::StatusOr<std::optional<WsFrame>> msg = f.ok() && f->has_value()
                                                       ? assembler.Add(std::move(**f))
                                                       : std::optional<WsFrame>();
      if (!f.ok() || !msg.ok()) {
        absl::Status st = f.ok() ? msg.status() : f.status();
        Send(EncodeWsFrame(kWsClose, WsClosePayload(kWsCloseProtocolError, "protocol error")));
        return st;
      }
      if (used == 0) break;
      buf.erase(0, used);
      if (!msg->has_value()) continue;
      bool closed = false;
      absl::Status st = OnFrame(h, **msg, &closed);
      if (!st.ok()) {
        Send(EncodeWsFrame(kWsClose, WsClosePayload(kWsCloseProtocolError, "protocol error")));
        return st;
      }
      if (closed) return absl::OkStatus();
    }
    if (auto end = pace_.ReadMore(t_, &buf, [h] { h->OnTick(); }, stop)) return *end;
  }
}

absl::Status WsConnection::OnFrame(Handler* h, const WsFrame& f, bool* closed) {
  switch (f.opcode) {
    case kWsPing: Send(EncodeWsFrame(kWsPong, f.payload)); return absl::OkStatus();
    case kWsPong: return absl::OkStatus();
    case kWsClose:
      // Answer with the same code (RFC 6455 section 5.5.1), then we are done.
      if (!pace_.finishing()) Send(EncodeWsFrame(kWsClose, f.payload.substr(0, 2)));
      *closed = true;
      return absl::OkStatus();
    default: break;
  }
  if (f.payload.empty()) return absl::OkStatus();  // wsstream ignores empty messages
  if (opts_.base64) {
    if (f.opcode != kWsText) return absl::InvalidArgumentError("base64 protocol needs text frames");
    int channel = f.payload[0] - '0';
    if (channel < 0 || channel > 9) return absl::InvalidArgumentError("bad base64 channel");
    auto data = Base64Decode(std::string_view(f.payload).substr(1));
    if (!data) return absl::InvalidArgumentError("message is not base64");
    h->OnMessage(channel, *data);
    return absl::OkStatus();
  }
  h->OnMessage(static_cast<uint8_t>(f.payload[0]), std::string_view(f.payload).substr(1));
  return absl::OkStatus();
}

bool WsConnection::Write(int channel, std::string_view data) {
  if (opts_.base64) {
    std::string text(1, static_cast<char>('0' + channel));
    text += Base64Encode(data);
    return Send(EncodeWsFrame(kWsText, text));
  }
  std::string msg(1, static_cast<char>(channel));
  msg.append(data);
  return Send(EncodeWsFrame(kWsBinary, msg));
}

void WsConnection::Finish(uint16_t code, std::string_view reason) {
  if (!pace_.StartFinishing()) return;
  Send(EncodeWsFrame(kWsClose, WsClosePayload(code, reason)));
}

bool WsConnection::Send(const std::string& frame) {
  if (down_) return false;
  if (!t_->Write(frame)) {
    down_ = true;
    return false;
  }
  pace_.Touch();
  return true;
}

}  // namespace cricket::cri::streaming
