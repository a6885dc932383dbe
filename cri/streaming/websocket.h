// WebSocket (RFC 6455) framing for the streaming server: frame parse and
// encode with masking, message reassembly across fragments with control
// frames in between, and the handshake's Sec-WebSocket-Accept. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace cricket::cri::streaming {

enum WsOpcode : uint8_t {
  kWsContinuation = 0x0,
  kWsText = 0x1,
  kWsBinary = 0x2,
  kWsClose = 0x8,
  kWsPing = 0x9,
  kWsPong = 0xa,
};
// Close codes (RFC 6455 section 7.4.1).
constexpr uint16_t kWsCloseNormal = 1000;
constexpr uint16_t kWsCloseProtocolError = 1002;
constexpr uint16_t kWsCloseTooBig = 1009;

struct WsFrame {
  bool fin = true;
  uint8_t opcode = 0;
  bool masked = false;
  std::string payload;  // unmasked
};

// One frame from the front of buf: nullopt while incomplete; InvalidArgument
// for a protocol violation (reserved bits, unknown opcode, an unmasked
// client frame when require_mask, a payload over max_payload).
absl::StatusOr<std::optional<WsFrame>> ParseWsFrame(std::string_view buf, size_t* consumed,
                                                    bool require_mask, uint64_t max_payload);
// Servers send unmasked frames; clients pass a masking key.
std::string EncodeWsFrame(uint8_t opcode, std::string_view payload, bool fin = true,
                          std::optional<uint32_t> mask = std::nullopt);
std::string WsClosePayload(uint16_t code, std::string_view reason);

// base64(SHA-1(key + the RFC's GUID)).
std::string WsAcceptKey(std::string_view client_key);

// Joins fragments into messages; control frames pass through at once.
class WsMessageAssembler {
 public:
  explicit WsMessageAssembler(uint64_t max_message) : max_message_(max_message) {}
  // A complete message or control frame (opcode Text/Binary/Close/Ping/Pong),
  // nullopt while a fragmented message is still open.
  absl::StatusOr<std::optional<WsFrame>> Add(WsFrame f);

 private:
  uint64_t max_message_;
  bool open_ = false;
  uint8_t opcode_ = 0;
  std::string data_;
};

}  // namespace cricket::cri::streaming
