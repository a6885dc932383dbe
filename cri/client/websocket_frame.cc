// RFC 6455 frame encoding (masked, client role) and a strict decoder.
#include "cri/client/websocket_frame.h"

#include <sys/random.h>

#include "absl/strings/str_cat.h"

namespace cricket::cri::client {
namespace {

absl::Status Bad(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("websocket: ", std::string(what)));
}

bool IsControl(uint8_t op) { return op & 0x8; }

}  // namespace

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

std::string EncodeWsFrame(WsOpcode op, std::string_view payload, std::optional<WsMaskKey> mask,
                          bool fin) {
  std::string out;
  out += static_cast<char>((fin ? 0x80 : 0) | static_cast<uint8_t>(op));
  uint8_t mask_bit = mask ? 0x80 : 0;
  size_t n = payload.size();
  if (n < 126) {
    out += static_cast<char>(mask_bit | n);
  } else if (n <= 0xffff) {
    out += static_cast<char>(mask_bit | 126);
    out += static_cast<char>(n >> 8);
    out += static_cast<char>(n);
  } else {
    out += static_cast<char>(mask_bit | 127);
    for (int shift = 56; shift >= 0; shift -= 8) out += static_cast<char>(uint64_t{n} >> shift);
  }
  if (!mask) return out.append(payload);
  out.append(reinterpret_cast<const char*>(mask->data()), 4);
  std::string body(payload);
  WsMask(body, *mask);
  return out + body;
}

absl::StatusOr<std::optional<WsMessage>> WsDecoder::Next() {
  while (true) {
    if (buf_.size() < 2) return std::nullopt;
    uint8_t b0 = buf_[0], b1 = buf_[1];
    bool fin = b0 & 0x80;
    uint8_t op = b0 & 0x0f;
    if (b0 & 0x70) return Bad("reserved bits set (no extension was negotiated)");
    if (b1 & 0x80) return Bad("masked frame from the server");
    uint64_t len = b1 & 0x7f;
    size_t hdr = 2;
    if (len == 126 || len == 127) {
      size_t bytes = len == 126 ? 2 : 8;
      if (buf_.size() < 2 + bytes) return std::nullopt;
      len = 0;
      for (size_t i = 0; i < bytes; i++) len = len << 8 | static_cast<uint8_t>(buf_[2 + i]);
      hdr += bytes;
      if (bytes == 8 && (len >> 63)) return Bad("64-bit length with the top bit set");
    }
    if (IsControl(op) && (!fin || len > 125)) return Bad("fragmented or long control frame");
    if (op != 0 && op != 1 && op != 2 && op != 8 && op != 9 && op != 10) {
      return Bad(absl::StrCat("unknown opcode ", op));
    }
    if (len + partial_.size() > max_message) return Bad("message too large");
    if (buf_.size() < hdr + len) return std::nullopt;
    std::string payload = buf_.substr(hdr, len);
    buf_.erase(0, hdr + len);
    if (IsControl(op)) return WsMessage{static_cast<WsOpcode>(op), std::move(payload)};
    if (op == 0 && !fragmented_) return Bad("continuation frame without a message to continue");
    if (op != 0 && fragmented_) return Bad("new message inside a fragmented one");
    if (op != 0) fragmented_ = static_cast<WsOpcode>(op);
    partial_ += payload;
    if (!fin) continue;
    WsMessage m{*fragmented_, std::move(partial_)};
    partial_.clear();
    fragmented_.reset();
    return m;
  }
}

}  // namespace cricket::cri::client
