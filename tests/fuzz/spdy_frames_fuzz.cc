// SPDY/3.1 frames as either peer sends them (cri/wire, used by the streaming
// server and the client): the frame splitter over the whole input, each
// control frame's typed payload, and every header block through one
// decompressor per connection (zlib keeps its window across blocks).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cri/wire/spdy_frame.h"
#include "cri/wire/spdy_headers.h"

namespace s = cricket::cri::wire;

namespace {

void ParseControl(const s::SpdyFrame& f, s::SpdyHeaderDecompressor& inflate) {
  switch (f.type) {
    case s::kSynStream: {
      auto syn = s::ParseSynStream(f.payload);
      if (syn.ok()) (void)inflate.Decompress(syn->header_block);
      break;
    }
    case s::kSynReply:
    case s::kHeaders: {
      auto h = s::ParseStreamHeaders(f.payload);
      if (h.ok()) (void)inflate.Decompress(h->second);
      break;
    }
    case s::kRstStream:
    case s::kGoAway:
    case s::kWindowUpdate:
      (void)s::ParseTwoWords(f.payload);
      break;
    case s::kSettings:
      (void)s::ParseSettings(f.payload);
      break;
    default:
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view buf(reinterpret_cast<const char*>(data), size);
  s::SpdyHeaderDecompressor inflate;
  while (!buf.empty()) {
    size_t consumed = 0;
    auto frame = s::ParseSpdyFrame(buf, &consumed);
    if (!frame.ok() || !frame->has_value()) break;
    if (consumed == 0 || consumed > buf.size()) std::abort();  // the loop must advance
    buf.remove_prefix(consumed);
    if ((*frame)->control) ParseControl(**frame, inflate);
  }
  return 0;
}
