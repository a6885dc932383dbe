// CDI spec files come from device plugins and vendor installers: the first
// byte picks JSON or YAML, the rest is the file.
#include <cstddef>
#include <cstdint>

#include "pod/cdi/spec_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  auto format = (data[0] & 1) ? cricket::pod::cdi::Format::kYaml : cricket::pod::cdi::Format::kJson;
  absl::StatusOr<cricket::pod::cdi::SpecFile> s = cricket::pod::cdi::ParseSpec(
      absl::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), format);
  (void)s;
  return 0;
}
