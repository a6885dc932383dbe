// The YAML config (/etc/cricket/cricket.yaml and drop-ins): a config that
// loads must validate, print, and load back from what it printed.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "conf/config.h"
#include "nlohmann/json.hpp"

namespace c = cricket::conf;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view yaml(reinterpret_cast<const char*>(data), size);
  auto config = c::LoadFromString(yaml, "fuzz.yaml");
  if (!config.ok()) return 0;
  std::string printed = c::ToYaml(*config);
  (void)c::ToJson(*config);
  auto again = c::LoadFromString(printed, "printed.yaml");
  if (!again.ok() || c::ToYaml(*again) != printed) {
    std::fprintf(stderr, "config printed as\n%s\ndoes not load back the same: %s\n",
                 printed.c_str(), again.ok() ? c::ToYaml(*again).c_str()
                                             : again.status().ToString().c_str());
    std::abort();
  }
  return 0;
}
