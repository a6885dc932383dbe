// Manifests and indexes as a registry (or an imported archive) serves them:
// classification by media type and body, the image manifest and index
// parsers, and platform selection over whatever index parses. The input is
// "<media type>\n<body>".
#include <cstdint>
#include <string>
#include <string_view>

#include "image/manifest.h"

namespace i = cricket::image;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string media_type(nl == std::string_view::npos ? "" : in.substr(0, nl));
  std::string body(nl == std::string_view::npos ? in : in.substr(nl + 1));
  (void)i::ClassifyManifest(media_type, body);
  (void)i::ParseImageManifest(body);
  auto index = i::ParseIndex(body);
  if (index.ok()) {
    (void)i::SelectPlatform(*index, i::Platform{"linux", "amd64", ""});
    (void)i::SelectPlatform(*index, i::Platform{"linux", "arm64", "v8"});
    (void)i::SelectPlatform(*index, i::Platform{"linux", "arm", "v7"});
  }
  return 0;
}
