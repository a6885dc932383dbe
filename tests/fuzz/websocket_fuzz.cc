// WebSocket frames from a client: the frame parser over the whole input (first
// byte picks masked-only like the server, or not), fragments joined by the
// message assembler, and the base64 channel payloads decoded.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cri/streaming/base64.h"
#include "cri/streaming/websocket.h"

namespace s = cricket::cri::streaming;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  bool require_mask = data[0] & 1;
  std::string_view buf(reinterpret_cast<const char*>(data) + 1, size - 1);
  s::WsMessageAssembler assembler(64 * 1024);
  while (!buf.empty()) {
    size_t consumed = 0;
    auto frame = s::ParseWsFrame(buf, &consumed, require_mask, 64 * 1024);
    if (!frame.ok() || !frame->has_value()) break;
    if (consumed == 0 || consumed > buf.size()) std::abort();
    buf.remove_prefix(consumed);
    auto message = assembler.Add(std::move(**frame));
    if (!message.ok()) break;
    if (message->has_value() && (*message)->opcode == s::kWsText) {
      (void)s::Base64Decode((*message)->payload);
    }
  }
  return 0;
}
