// RFC 6455 framing (section 5) and the opening handshake's keys (4.1, 4.2.2).
#include "cri/wire/websocket.h"

#include <openssl/sha.h>
#include <sys/random.h>

#include "absl/strings/str_cat.h"
#include "cri/wire/base64.h"

namespace cricket::cri::wire {
namespace {

absl::Status Bad(const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat("bad WebSocket frame: ", what));
}

bool IsControl(WsOpcode op) { return static_cast<uint8_t>(op) >= 0x8; }

bool KnownOpcode(uint8_t op) { return op <= 0x2 || (op >= 0x8 && op <= 0xa); }

// The header's checks that need no payload bytes.
absl::Status CheckHeader(uint8_t b0, uint8_t b1, WsSender from) {
  if (b0 & 0x70) return Bad("reserved bits set without an extension");
  if (!KnownOpcode(b0 & 0x0f)) return Bad(absl::StrCat("unknown opcode ", b0 & 0x0f));
  bool masked = (b1 & 0x80) != 0;
  if (from == WsSender::kClient && !masked) return Bad("client frame is not masked");
  if (from == WsSender::kServer && masked) return Bad("server frame is masked");
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::optional<WsFrame>> ParseWsFrame(std::string_view buf, size_t* consumed,
                                                    WsSender from, uint64_t max_payload) {
  *consumed = 0;
  if (buf.size() < 2) return std::optional<WsFrame>();
  uint8_t b0 = uint8_t(buf[0]), b1 = uint8_t(buf[1]);
  if (absl::Status st = CheckHeader(b0, b1, from); !st.ok()) return st;
  WsFrame f;
  f.fin = (b0 & 0x80) != 0;
  f.opcode = static_cast<WsOpcode>(b0 & 0x0f);
  f.masked = (b1 & 0x80) != 0;
  uint64_t len = b1 & 0x7f;
  size_t at = 2;
  if (len == 126 || len == 127) {
    size_t bytes = len == 126 ? 2 : 8;
    if (buf.size() < 2 + bytes) return std::optional<WsFrame>();
    len = 0;
    for (size_t i = 0; i < bytes; i++) len = (len << 8) | uint8_t(buf[2 + i]);
    if (len >> 63) return Bad("64-bit length with the top bit set");
    at += bytes;
  }
  if (IsControl(f.opcode) && (len > 125 || !f.fin)) {
    return Bad("control frame fragmented or longer than 125 bytes");
  }
  if (len > max_payload) return Bad(absl::StrCat("payload of ", len, " bytes is too large"));
  WsMaskKey key = {0, 0, 0, 0};
  if (f.masked) {
    if (buf.size() < at + 4) return std::optional<WsFrame>();
    for (int i = 0; i < 4; i++) key[i] = uint8_t(buf[at + i]);
    at += 4;
  }
  if (buf.size() - at < len) return std::optional<WsFrame>();
  f.payload = std::string(buf.substr(at, len));
  if (f.masked) WsMask(f.payload, key);
  *consumed = at + len;
  return std::optional<WsFrame>(std::move(f));
}

std::string EncodeWsFrame(WsOpcode opcode, std::string_view payload,
                          std::optional<WsMaskKey> mask, bool fin) {
  std::string out;
  out.reserve(payload.size() + 14);
  out.push_back(static_cast<char>((fin ? 0x80 : 0) | static_cast<uint8_t>(opcode)));
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
  if (!mask) return out.append(payload);
  out.append(reinterpret_cast<const char*>(mask->data()), 4);
  std::string body(payload);
  WsMask(body, *mask);
  return out + body;
}

void WsMask(std::string& data, const WsMaskKey& key, size_t offset) {
  for (size_t i = 0; i < data.size(); i++) data[i] ^= static_cast<char>(key[(i + offset) % 4]);
}

WsMaskKey RandomWsMaskKey() {
  WsMaskKey k{};
  if (getrandom(k.data(), k.size(), 0) != static_cast<ssize_t>(k.size())) {
    // getrandom on 4 bytes does not fail short on Linux; a fixed key is still valid framing.
    k = {0x5a, 0xa5, 0x3c, 0xc3};
  }
  return k;
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
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(in.data()), in.size(), digest);
  return Base64Encode(std::string_view(reinterpret_cast<const char*>(digest), sizeof(digest)));
}

std::string NewWsKey() {
  char raw[16] = {};
  if (getrandom(raw, sizeof(raw), 0) != sizeof(raw)) {
    for (size_t i = 0; i < sizeof(raw); i++) raw[i] = static_cast<char>(i * 37 + 11);
  }
  return Base64Encode(std::string_view(raw, sizeof(raw)));
}

absl::StatusOr<std::optional<WsFrame>> WsMessageAssembler::Add(WsFrame f) {
  if (IsControl(f.opcode)) return std::optional<WsFrame>(std::move(f));
  if (f.opcode == WsOpcode::kContinuation) {
    if (!open_) return Bad("continuation frame without a message to continue");
  } else {
    if (open_) return Bad("new message inside a fragmented one");
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

absl::StatusOr<std::optional<WsFrame>> WsDecoder::Next() {
  while (true) {
    size_t used = 0;
    auto f = ParseWsFrame(buf_, &used, from_, max_message_);
    if (!f.ok()) return f.status();
    if (!f->has_value()) return std::optional<WsFrame>();
    buf_.erase(0, used);
    auto msg = assembler_.Add(std::move(**f));
    if (!msg.ok() || msg->has_value()) return msg;
  }
}

}  // namespace cricket::cri::wire
