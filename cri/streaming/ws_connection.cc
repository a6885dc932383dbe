// WsConnection: the frame loop and channel codec of k8s.io/apiserver's
// wsstream (binary and base64 channel protocols).
#include "cri/streaming/ws_connection.h"

#include "absl/strings/str_cat.h"
#include "cri/wire/base64.h"

namespace cricket::cri::streaming {
namespace {

using wire::WsOpcode;

std::string ProtocolErrorClose() {
  return wire::EncodeWsFrame(WsOpcode::kClose,
                             wire::WsClosePayload(wire::kWsCloseProtocolError, "protocol error"));
}

}  // namespace

absl::Status WsConnection::Serve(Handler* h, std::string buf, const std::atomic<bool>& stop) {
  wire::WsDecoder decoder(wire::WsSender::kClient);
  pace_.Touch();
  while (true) {
    decoder.Append(buf);
    buf.clear();
    while (true) {
      auto msg = decoder.Next();
      absl::Status st = msg.status();
      if (st.ok() && !msg->has_value()) break;
      bool closed = false;
      if (st.ok()) st = OnFrame(h, **msg, &closed);
      if (!st.ok()) {
        Send(ProtocolErrorClose());
        return st;
      }
      if (closed) return absl::OkStatus();
    }
    if (auto end = pace_.ReadMore(t_, &buf, [h] { h->OnTick(); }, stop)) return *end;
  }
}

absl::Status WsConnection::OnFrame(Handler* h, const wire::WsFrame& f, bool* closed) {
  switch (f.opcode) {
    case WsOpcode::kPing: Send(wire::EncodeWsFrame(WsOpcode::kPong, f.payload)); return absl::OkStatus();
    case WsOpcode::kPong: return absl::OkStatus();
    case WsOpcode::kClose:
      // Answer with the same code (RFC 6455 section 5.5.1), then we are done.
      if (!pace_.finishing()) Send(wire::EncodeWsFrame(WsOpcode::kClose, f.payload.substr(0, 2)));
      *closed = true;
      return absl::OkStatus();
    default: break;
  }
  if (f.payload.empty()) return absl::OkStatus();  // wsstream ignores empty messages
  if (opts_.base64) {
    if (f.opcode != WsOpcode::kText) return absl::InvalidArgumentError("base64 protocol needs text frames");
    int channel = f.payload[0] - '0';
    if (channel < 0 || channel > 9) return absl::InvalidArgumentError("bad base64 channel");
    auto data = wire::Base64Decode(std::string_view(f.payload).substr(1));
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
    text += wire::Base64Encode(data);
    return Send(wire::EncodeWsFrame(WsOpcode::kText, text));
  }
  std::string msg(1, static_cast<char>(channel));
  msg.append(data);
  return Send(wire::EncodeWsFrame(WsOpcode::kBinary, msg));
}

void WsConnection::Finish(uint16_t code, std::string_view reason) {
  if (!pace_.StartFinishing()) return;
  Send(wire::EncodeWsFrame(WsOpcode::kClose, wire::WsClosePayload(code, reason)));
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
