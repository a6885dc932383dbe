// cricket-pull-bench: one cold pull+unpack through ImageService into a fresh
// root, for tests/bench/pull_bench.sh. Usage: cricket-pull-bench <root> <ref>
// With PULL_BENCH_PHASES=1 the debug log shows each layer's unpack and sync time.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "image/image_service.h"
#include "oci/sys/log.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s <root dir> <image ref>\n", argv[0]);
    return 2;
  }
  if (const char* p = std::getenv("PULL_BENCH_PHASES"); p != nullptr && *p == '1') {
    cricket::sys::SetLogLevel(cricket::sys::LogLevel::kDebug);
  }
  cricket::conf::Config config;
  config.root_dir = argv[1];
  config.state_dir = std::string(argv[1]) + "/run";
  auto service = cricket::image::ImageService::Open(config);
  if (!service.ok()) {
    std::fprintf(stderr, "%s\n", std::string(service.status().message()).c_str());
    return 1;
  }
  auto id = (*service)->Pull(argv[2]);
  if (!id.ok()) {
    std::fprintf(stderr, "pull %s: %s\n", argv[2], std::string(id.status().message()).c_str());
    return 1;
  }
  std::printf("%s\n", id->c_str());
  return 0;
}
