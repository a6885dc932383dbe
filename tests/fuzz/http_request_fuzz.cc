// The streaming server's HTTP request head and percent-decoding: the bytes a
// client sends before its token is checked (so before any authentication).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cri/streaming/http_request.h"

using cricket::cri::streaming::FindHeadEnd;
using cricket::cri::streaming::ParseHttpRequest;
using cricket::cri::streaming::PercentDecode;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)PercentDecode(in, true);
  (void)PercentDecode(in, false);
  auto end = FindHeadEnd(in);
  if (end && *end > in.size()) std::abort();
  // The server parses what FindHeadEnd delimits, but the parser must also
  // hold up against a head without its blank line.
  auto req = ParseHttpRequest(end ? in.substr(0, *end) : in);
  if (!req.ok()) return 0;
  (void)req->Header("upgrade");
  (void)req->HeaderTokens("connection");
  (void)req->HeaderHasToken("connection", "upgrade");
  (void)req->HeaderTokens("x-stream-protocol-version");
  (void)req->QueryValues("command");
  for (const auto& [name, value] : req->headers) {
    if (name != cricket::cri::streaming::AsciiLower(name)) std::abort();
  }
  return 0;
}
