// The per-layer caps of UnpackOptions: more entries, or more uncompressed
// bytes (a decompression bomb), than allowed fail the unpack with
// ResourceExhausted naming the limit, however small the compressed layer.
#include <fcntl.h>

#include "gtest/gtest.h"
#include "image/unpack.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"
#include "tests/fixtures/layer_tar.h"

namespace cricket::image {
namespace {

using testing::File;
using testing::TarCompression;
using testing::TarEntry;

absl::Status UnpackInto(const sys::TempDir& base, const std::string& tar, const UnpackOptions& o) {
  std::string tar_path = base.Sub("layer.tar");
  if (auto st = sys::WriteFileAtomic(tar_path, tar); !st.ok()) return st;
  if (auto st = sys::MkdirAll(base.Sub("layer")); !st.ok()) return st;
  sys::UniqueFd fd(::open(tar_path.c_str(), O_RDONLY | O_CLOEXEC));
  return UnpackTar(fd.get(), base.Sub("layer"), o).status();
}

UnpackOptions Unprivileged() {
  UnpackOptions o;
  o.chown = false;
  return o;
}

TEST(UnpackCaps, MoreEntriesThanTheCapAreRefused) {
  std::vector<TarEntry> entries;
  for (int i = 0; i < 20; ++i) entries.push_back(File("f" + std::to_string(i), "x"));
  auto tar = testing::MakeTar(entries, TarCompression::kGzip);
  ASSERT_TRUE(tar.ok());
  UnpackOptions o = Unprivileged();
  o.max_entries = 20;
  auto dir = sys::TempDir::Make("unpack-caps-");
  ASSERT_TRUE(dir.ok());
  EXPECT_TRUE(UnpackInto(*dir, *tar, o).ok());  // exactly at the cap
  o.max_entries = 19;
  auto dir2 = sys::TempDir::Make("unpack-caps-");
  ASSERT_TRUE(dir2.ok());
  absl::Status st = UnpackInto(*dir2, *tar, o);
  EXPECT_EQ(st.code(), absl::StatusCode::kResourceExhausted) << st;
  EXPECT_NE(std::string(st.message()).find("more than 19 entries (image.max_layer_entries)"),
            std::string::npos)
      << st;
}

TEST(UnpackCaps, MoreUncompressedBytesThanTheCapAreRefused) {
  // 16 MiB of zeros gzip to a few KiB.
  auto tar = testing::MakeTar({File("zeros", std::string(16 << 20, '\0'))}, TarCompression::kGzip);
  ASSERT_TRUE(tar.ok());
  ASSERT_LT(tar->size(), 1u << 20);
  UnpackOptions o = Unprivileged();
  o.max_bytes = 4 << 20;
  auto dir = sys::TempDir::Make("unpack-caps-");
  ASSERT_TRUE(dir.ok());
  absl::Status st = UnpackInto(*dir, *tar, o);
  EXPECT_EQ(st.code(), absl::StatusCode::kResourceExhausted) << st;
  EXPECT_NE(std::string(st.message()).find("larger than 4194304 bytes uncompressed"),
            std::string::npos)
      << st;
  o.max_bytes = 17 << 20;
  auto dir2 = sys::TempDir::Make("unpack-caps-");
  ASSERT_TRUE(dir2.ok());
  EXPECT_TRUE(UnpackInto(*dir2, *tar, o).ok());
}

}  // namespace
}  // namespace cricket::image
