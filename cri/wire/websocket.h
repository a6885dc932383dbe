// WebSocket (RFC 6455) framing for both roles: frame parse and encode with
// masking, message reassembly across fragments with control frames in
// between, a buffered decoder, and the handshake's Sec-WebSocket-Accept. Pure
// but for the random masking key.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace cricket::cri::wire {

enum class WsOpcode : uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xa,
};
// Close codes (RFC 6455 section 7.4.1).
inline constexpr uint16_t kWsCloseNormal = 1000;
inline constexpr uint16_t kWsCloseProtocolError = 1002;
inline constexpr uint16_t kWsCloseTooBig = 1009;
// wsstream peers send one read (at most 32 KiB) per message; 16 MiB bounds
// what a hostile peer can make us buffer for one message.
inline constexpr uint64_t kWsMaxMessage = 16 << 20;

// Who sent the bytes: clients must mask every frame, servers must not
// (RFC 6455 section 5.1).
enum class WsSender { kClient, kServer };

using WsMaskKey = std::array<uint8_t, 4>;

struct WsFrame {
  bool fin = true;
  WsOpcode opcode = WsOpcode::kContinuation;
  bool masked = false;
  std::string payload;  // unmasked
};

// One frame from the front of buf: nullopt while incomplete; InvalidArgument
// for a protocol violation (reserved bits, unknown opcode, masking the sender
// must not use or omit, a fragmented or long control frame, a payload over
// max_payload).
absl::StatusOr<std::optional<WsFrame>> ParseWsFrame(std::string_view buf, size_t* consumed,
                                                    WsSender from, uint64_t max_payload);
// With a mask key the payload is masked (client to server); without one it is
// sent in the clear (what servers send).
std::string EncodeWsFrame(WsOpcode opcode, std::string_view payload,
                          std::optional<WsMaskKey> mask = std::nullopt, bool fin = true);
// XOR with the key, starting at key byte `offset % 4` (RFC 6455 section 5.3).
void WsMask(std::string& data, const WsMaskKey& key, size_t offset = 0);
// A key from the kernel's random source (the RFC asks for unpredictable keys).
WsMaskKey RandomWsMaskKey();
// A close frame's body: the code, then at most 123 bytes of reason.
std::string WsClosePayload(uint16_t code, std::string_view reason);

// base64(SHA-1(key + the RFC's GUID)).
std::string WsAcceptKey(std::string_view client_key);
// A client's Sec-WebSocket-Key: base64 of 16 random bytes.
std::string NewWsKey();

// Joins fragments into messages; control frames pass through at once.
class WsMessageAssembler {
 public:
  explicit WsMessageAssembler(uint64_t max_message = kWsMaxMessage) : max_message_(max_message) {}
  // A complete message or control frame (opcode Text/Binary/Close/Ping/Pong),
  // nullopt while a fragmented message is still open.
  absl::StatusOr<std::optional<WsFrame>> Add(WsFrame f);

 private:
  uint64_t max_message_;
  bool open_ = false;
  WsOpcode opcode_ = WsOpcode::kContinuation;
  std::string data_;
};

// Bytes in, whole messages and control frames out.
class WsDecoder {
 public:
  explicit WsDecoder(WsSender from, uint64_t max_message = kWsMaxMessage)
      : from_(from), max_message_(max_message), assembler_(max_message) {}
  void Append(std::string_view bytes) { buf_.append(bytes); }
  // The next whole message or control frame from the buffered bytes; nullopt
  // when more bytes are needed. InvalidArgument for a protocol violation.
  absl::StatusOr<std::optional<WsFrame>> Next();

 private:
  WsSender from_;
  uint64_t max_message_;
  WsMessageAssembler assembler_;
  std::string buf_;
};

}  // namespace cricket::cri::wire
