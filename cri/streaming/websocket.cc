// RFC 6455 framing (section 5) and the opening handshake's accept key (4.2.2).
#include "cri/streaming/websocket.h"

#include <openssl/evp.h>

#include "absl/strings/str_cat.h"
#include "cri/streaming/base64.h"

namespace cricket::cri::streaming {
namespace {

absl::Status Bad(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("bad WebSocket frame: ", what));
}

bool IsControl(uint8_t op) { return op >= 0x8; }

}  // namespace

absl::StatusOr<std::optional<WsFrame>> ParseWsFrame(std::string_view buf, size_t* consumed,
                                                    bool require_mask, uint64_t max_payload) {
  *consumed = 0;
  if (buf.size() < 2) return std::optional<WsFrame>();
  uint8_t b0 = uint8_t(buf[0]), b1 = uint8_t(buf[1]);
  WsFrame f;
  f.fin = (b0 & 0x80) != 0;
  f.opcode = b0 & 0x0f;
  f.masked = (b1 & 0x80) != 0;
  if (b0 & 0x70) return Bad("reserved bits set without an extension");
  switch (f.opcode) {
    case kWsContinuation: case kWsText: case kWsBinary:
    case kWsClose: case kWsPing: case kWsPong: break;
    default: return Bad(absl::StrCat("unknown opcode ", f.opcode));
  }
  if (require_mask && !f.masked) return Bad("client frame is not masked");
  uint64_t len = b1 & 0x7f;
  size_t at = 2;
  if (len == 126) {
    if (buf.size() < 4) return std::optional<WsFrame>();
    len = (uint64_t(uint8_t(buf[2])) << 8) | uint8_t(buf[3]);
    at = 4;
  } else if (len == 127) {
    if (buf.size() < 10) return std::optional<WsFrame>();
    len = 0;
    for (int i = 0; i < 8; i++) len = (len << 8) | uint8_t(buf[2 + i]);
    if (len >> 63) return Bad("payload length has its top bit set");
    at = 10;
  }
  if (IsControl(f.opcode) && (len > 125 || !f.fin)) {
    return Bad("control frame fragmented or longer than 125 bytes");
  }
  if (len > max_payload) return Bad(absl::StrCat("payload of ", len, " bytes is too large"));
  uint8_t key[4] = {0, 0, 0, 0};
  if (f.masked) {
    if (buf.size() < at + 4) return std::optional<WsFrame>();
    for (int i = 0; i < 4; i++) key[i] = uint8_t(buf[at + i]);
    at += 4;
  }
  if (buf.size() - at < len) return std::optional<WsFrame>();
  f.payload = std::string(buf.substr(at, len));
  if (f.masked) {
    for (size_t i = 0; i < f.payload.size(); i++) f.payload[i] ^= static_cast<char>(key[i % 4]);
  }
  *consumed = at + len;
  return std::optional<WsFrame>(std::move(f));
}

std::string EncodeWsFrame(uint8_t opcode, std::string_view payload, bool fin,
                          std::optional<uint32_t> mask) {
  std::string out;
  out.reserve(payload.size() + 14);
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | (opcode & 0x0f)));
  uint8_t m = mask ? 0x80 : 0;
  uint64_t len = payload.size();
  if (len < 126) {
    out.push_back(static_cast<char>(m | len));
  } else if (len <= 0xffff) {
    out.push_back(static_cast<char>(m | 126));
    out.push_back(static_cast<char>(len >> 8));
    out.push_back(static_cast<char>(len));
  } else {
    out.push_back(static_cast<char>(m | 127));
    for (int s = 56; s >= 0; s -= 8) out.push_back(static_cast<char>(len >> s));
  }
  if (!mask) {
    out.append(payload);
    return out;
  }
  char key[4] = {char(*mask >> 24), char(*mask >> 16), char(*mask >> 8), char(*mask)};
  out.append(key, 4);
  for (size_t i = 0; i < payload.size(); i++) out.push_back(payload[i] ^ key[i % 4]);
  return out;
}

std::string WsClosePayload(uint16_t code, std::string_view reason) {
  std::string out;
  out.push_back(static_cast<char>(code >> 8));
  out.push_back(static_cast<char>(code));
  out.append(reason.substr(0, 123));
  return out;
}

std::string WsAcceptKey(std::string_view client_key) {
  std::string in = std::string(client_key) + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(in.data(), in.size(), md, &n, EVP_sha1(), nullptr);
  return Base64Encode(std::string_view(reinterpret_cast<char*>(md), n));
}

absl::StatusOr<std::optional<WsFrame>> WsMessageAssembler::Add(WsFrame f) {
  if (IsControl(f.opcode)) return std::optional<WsFrame>(std::move(f));
  if (f.opcode == kWsContinuation) {
    if (!open_) return Bad("continuation frame without a message to continue");
  } else {
    if (open_) return Bad("new message before the fragmented one ended");
    open_ = true;
    opcode_ = f.opcode;
    data_.clear();
  }
  if (data_.size() + f.payload.size() > max_message_) return Bad("message too large");
  data_ += f.payload;
  if (!f.fin) return std::optional<WsFrame>();
  open_ = false;
  WsFrame msg;
  msg.opcode = opcode_;
  msg.payload = std::move(data_);
  data_.clear();
  return std::optional<WsFrame>(std::move(msg));
}

}  // namespace cricket::cri::streaming
