// SPDY/3 header inflation on its own (cri/wire): compressed name/value blocks
// (zlib with the SPDY dictionary) from a peer. The input is cut into blocks at
// 0xff bytes so that one decompressor sees several, as on a connection. A
// block that inflates must re-encode and inflate again to the same headers,
// up to what encoding normalises (lower-case names, repeats grouped).
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "absl/strings/ascii.h"
#include "cri/wire/spdy_headers.h"

namespace s = cricket::cri::wire;

namespace {

// What a block encoding `h` decodes to: names lower-cased, each name's values
// together at its first place.
s::SpdyHeaders Normalised(const s::SpdyHeaders& h) {
  std::vector<std::string> order;
  s::SpdyHeaders out;
  for (const auto& [name, value] : h) {
    std::string lower = absl::AsciiStrToLower(name);
    if (std::find(order.begin(), order.end(), lower) == order.end()) order.push_back(lower);
  }
  for (const auto& name : order) {
    for (const auto& [n, v] : h) {
      if (absl::AsciiStrToLower(n) == name) out.emplace_back(name, v);
    }
  }
  return out;
}

}  // namespace

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
    if (!back.ok() || *back != Normalised(*headers)) std::abort();
    if (cut == std::string_view::npos) break;
    in.remove_prefix(cut + 1);
  }
  return 0;
}
