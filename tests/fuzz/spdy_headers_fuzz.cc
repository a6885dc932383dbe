// SPDY/3 header inflation on its own: compressed name/value blocks (zlib with
// the SPDY dictionary) from a client. The input is cut into blocks at 0xff
// bytes so that one decompressor sees several, as on a connection. A block
// that inflates must re-encode and inflate again to the same headers.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cri/streaming/spdy_frame.h"

namespace s = cricket::cri::streaming;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  s::SpdyHeaderDecompressor inflate;
  s::SpdyHeaderCompressor deflate_again;
  s::SpdyHeaderDecompressor inflate_again;
  while (true) {
    size_t cut = in.find('\xff');
    auto headers = inflate.Decompress(in.substr(0, cut));
    if (!headers.ok()) break;
    auto block = deflate_again.Compress(*headers);
    if (!block.ok()) std::abort();
    auto back = inflate_again.Decompress(*block);
    if (!back.ok() || *back != *headers) std::abort();
    if (cut == std::string_view::npos) break;
    in.remove_prefix(cut + 1);
  }
  return 0;
}
