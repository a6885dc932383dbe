// Layer unpack of hostile bytes (plain, gzip or zstd tar) into a temp dir
// nested three levels deep with a sentinel file at each level: whatever the
// archive holds, the unpack either fails cleanly or leaves every level above
// the layer exactly as it was. Runs without chown and without device nodes.
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "image/unpack.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"

namespace {

using namespace cricket;

constexpr int kLevels = 3;

struct Sandbox {
  sys::TempDir base;
  std::vector<std::string> levels;  // base, base/l1, base/l1/l2; the layer is in the last
  std::string layer;
};

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "unpack_tar_fuzz: %s\n", what.c_str());
  std::abort();
}

Sandbox* g_sandbox = nullptr;

// libFuzzer ends with exit(): the temp dir goes with it.
void RemoveSandbox() {
  delete g_sandbox;
  g_sandbox = nullptr;
}

Sandbox& TheSandbox() {
  static Sandbox* s = [] {
    auto* sb = g_sandbox = new Sandbox;
    std::atexit(RemoveSandbox);
    auto base = sys::TempDir::Make("cricket-fuzz-unpack-");
    if (!base.ok()) Die(base.status().ToString());
    sb->base = std::move(*base);
    std::string p = sb->base.path();
    for (int i = 0; i < kLevels; ++i) {
      if (i > 0) p += "/l" + std::to_string(i);
      if (!sys::MkdirAll(p).ok()) Die("mkdir " + p);
      if (!sys::WriteFileAtomic(p + "/sentinel", "sentinel").ok()) Die("sentinel in " + p);
      sb->levels.push_back(p);
    }
    sb->layer = p + "/layer";
    return sb;
  }();
  return *s;
}

// Each level holds its sentinel, unchanged, and the next level (or the layer).
void CheckNothingOutside(const Sandbox& sb) {
  for (int i = 0; i < kLevels; ++i) {
    auto names = sys::ListDir(sb.levels[i]);
    if (!names.ok()) Die(names.status().ToString());
    std::sort(names->begin(), names->end());
    std::string next = i + 1 < kLevels ? "l" + std::to_string(i + 1) : "layer";
    if (*names != std::vector<std::string>{next, "sentinel"}) {
      std::string got;
      for (const auto& n : *names) got += " " + n;
      Die("entries appeared outside the layer in " + sb.levels[i] + ":" + got);
    }
    auto content = sys::ReadFile(sb.levels[i] + "/sentinel");
    if (!content.ok() || *content != "sentinel") Die("sentinel changed in " + sb.levels[i]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Sandbox& sb = TheSandbox();
  sys::UniqueFd fd(::memfd_create("layer", MFD_CLOEXEC));
  if (!fd.valid()) Die("memfd_create");
  if (size > 0 && ::write(fd.get(), data, size) != static_cast<ssize_t>(size)) Die("write memfd");
  ::lseek(fd.get(), 0, SEEK_SET);
  if (!sys::MkdirAll(sb.layer).ok()) Die("mkdir layer");
  image::UnpackOptions o;
  o.chown = false;
  o.allow_devices = false;
  (void)image::UnpackTar(fd.get(), sb.layer, o);
  CheckNothingOutside(sb);
  if (auto st = sys::RemoveAll(sb.layer); !st.ok()) Die(st.ToString());
  return 0;
}
