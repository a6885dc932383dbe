// The image config JSON (entrypoint, env, user, volumes, diff_ids, history):
// an image author controls every byte of it.
#include <cstdint>
#include <string>

#include "image/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string body(reinterpret_cast<const char*>(data), size);
  (void)cricket::image::ParseImageConfig(body);
  return 0;
}
