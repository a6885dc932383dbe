// The signature policy file (containers-policy.json): parsed, and when it
// parses, the scope choice for a few references of different shapes.
#include <cstdint>
#include <string_view>

#include "image/signature/policy.h"

namespace s = cricket::image::signature;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto p = s::ParsePolicy(in);
  if (!p.ok()) return 0;
  for (const char* r : {"busybox", "quay.io/a/b/c:v1", "127.0.0.1:5000/x@sha256:"
                        "0000000000000000000000000000000000000000000000000000000000000000",
                        "a.b.example.com/team/app"}) {
    auto ref = cricket::image::ParseReference(r);
    if (ref.ok()) (void)s::SelectScope(*p, *ref);
  }
  return 0;
}
