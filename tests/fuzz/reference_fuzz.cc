// Image references (from a pod spec, a PullImage call, an image's own
// index annotations): parse, and a parsed reference must print to a string
// that parses back to the same reference.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "image/reference.h"

using cricket::image::ParseReference;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto ref = ParseReference(in);
  if (!ref.ok()) return 0;
  std::string printed = ref->String();
  auto again = ParseReference(printed);
  if (!again.ok() || !(*again == *ref)) {
    std::fprintf(stderr, "reference %s printed as %s does not parse back the same (%s)\n",
                 std::string(in).c_str(), printed.c_str(),
                 again.ok() ? again->String().c_str() : again.status().ToString().c_str());
    std::abort();
  }
  return 0;
}
