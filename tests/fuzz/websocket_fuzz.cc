// WebSocket frames (cri/wire): the frame parser over the whole input (the
// first byte picks the sender: a client, masked, as the server reads, or a
// server, unmasked, as the client reads), fragments joined by the message
// assembler, and the base64 channel payloads decoded; the same bytes through
// the buffered decoder must give the same messages.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include <vector>

#include "cri/wire/base64.h"
#include "cri/wire/websocket.h"

namespace s = cricket::cri::wire;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  s::WsSender from = data[0] & 1 ? s::WsSender::kClient : s::WsSender::kServer;
  std::string_view buf(reinterpret_cast<const char*>(data) + 1, size - 1);
  s::WsDecoder decoder(from, 64 * 1024);
  decoder.Append(buf);
  s::WsMessageAssembler assembler(64 * 1024);
  while (!buf.empty()) {
    size_t consumed = 0;
    auto frame = s::ParseWsFrame(buf, &consumed, from, 64 * 1024);
    if (!frame.ok() || !frame->has_value()) break;
    if (consumed == 0 || consumed > buf.size()) std::abort();
    buf.remove_prefix(consumed);
    auto message = assembler.Add(std::move(**frame));
    if (!message.ok()) break;
    if (!message->has_value()) continue;
    auto same = decoder.Next();
    if (!same.ok() || !same->has_value() || (*same)->opcode != (*message)->opcode ||
        (*same)->payload != (*message)->payload) {
      std::abort();
    }
    if ((*message)->opcode == s::WsOpcode::kText) (void)s::Base64Decode((*message)->payload);
  }
  return 0;
}
