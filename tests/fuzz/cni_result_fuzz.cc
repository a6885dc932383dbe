// A CNI plugin's ADD output (plugins are third-party programs): the result
// parser of every spec version and the pod IPs taken from it.
#include <cstdint>
#include <string_view>

#include "network/cni_result.h"

namespace n = cricket::network;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto result = n::ParseCniResultText(text);
  if (!result.ok()) return 0;
  (void)n::PodIps(*result, "eth0");
  (void)n::PodIps(*result, "");
  return 0;
}
