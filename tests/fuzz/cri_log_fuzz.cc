// CRI log lines (cri/wire): the container writes the content, so the reader
// (cricketctl logs, ReopenContainerLog consumers) must take any line. Also the writer's side:
// any chunk a container prints encodes into lines that parse back to it.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "cri/wire/cri_log.h"

namespace p = cricket::cri::wire;

namespace {

// Encodes `chunk` and checks every line parses, and that the contents joined
// (a newline after each F line) give the chunk back.
void RoundTrip(std::string_view chunk, size_t max_line) {
  struct timespec ts = {1700000000, 123456789};
  std::string out;
  p::EncodeCriLog("stdout", chunk, ts, max_line, &out);
  std::string joined;
  std::string_view rest(out);
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) std::abort();  // every line ends in \n
    auto line = p::ParseCriLogLine(rest.substr(0, nl));
    if (!line.ok()) std::abort();
    joined += line->content;
    if (!line->partial) joined += '\n';
    rest.remove_prefix(nl + 1);
  }
  if (joined != chunk) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::string_view rest = in;
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    (void)p::ParseCriLogLine(rest.substr(0, nl));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  RoundTrip(in, size > 0 ? 1 + data[0] % 64 : 16);
  return 0;
}
