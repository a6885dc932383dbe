// What a registry answers before any content: WWW-Authenticate challenges and
// token server responses. The first byte picks which; the rest is the value.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "image/registry/auth.h"

namespace r = cricket::image::registry;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string value(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    auto token = r::ParseTokenResponse(value);
    if (token.ok() && token->token.empty()) std::abort();  // an empty token is no token
    return 0;
  }
  for (const r::Challenge& c : r::ParseWwwAuthenticate(value)) {
    for (char ch : c.scheme) {
      if (ch >= 'A' && ch <= 'Z') std::abort();  // schemes come lower-cased
    }
  }
  return 0;
}
