// RFC 6455 framing for the client role: frames we send are masked; frames
// from the server must not be. The decoder reassembles fragmented messages
// and surfaces control frames (ping, pong, close) as they arrive.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace cricket::cri::client {

enum class WsOpcode : uint8_t {
  kContinuation = 0x0,
  kText = 0x1,
  kBinary = 0x2,
  kClose = 0x8,
  kPing = 0x9,
  kPong = 0xa,
};

using WsMaskKey = std::array<uint8_t, 4>;

// One frame with FIN set. With a mask key the payload is masked (client to
// server); without one it is sent in the clear (what servers send).
std::string EncodeWsFrame(WsOpcode op, std::string_view payload, std::optional<WsMaskKey> mask,
                          bool fin = true);
// XOR with the key, starting at key byte `offset % 4` (RFC 6455 section 5.3).
void WsMask(std::string& data, const WsMaskKey& key, size_t offset = 0);
// A key from the kernel's random source (the RFC asks for unpredictable keys).
WsMaskKey RandomWsMaskKey();

struct WsMessage {
  WsOpcode opcode;      // kText/kBinary for data messages, else the control opcode
  std::string payload;  // a whole message (fragments joined)
};

class WsDecoder {
 public:
  // The next whole message or control frame from the buffered bytes; nullopt
  // when more bytes are needed. InvalidArgument for frames a server must not
  // send (masked, reserved bits, fragmented or long control frames, ...).
  absl::StatusOr<std::optional<WsMessage>> Next();
  void Append(std::string_view bytes) { buf_.append(bytes); }

  size_t max_message = 64 * 1024 * 1024;

 private:
  std::string buf_;
  std::optional<WsOpcode> fragmented_;  // the opcode of a message being reassembled
  std::string partial_;
};

}  // namespace cricket::cri::client
