// Writable-layer walks and their cache.
#include "pod/stats_fs_usage.h"

#include <unistd.h>

#include <gtest/gtest.h>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"

namespace cricket::pod {
namespace {

constexpr int64_t kSec = 1'000'000'000;

TEST(MeasureDir, CountsInodesAndBlocksHardLinksOnce) {
  auto dir = sys::TempDir::Make("stats-fs-");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(sys::MkdirAll(dir->Sub("a/b")).ok());
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("a/b/f"), std::string(64 * 1024, 'x')).ok());
  ASSERT_EQ(::link(dir->Sub("a/b/f").c_str(), dir->Sub("a/g").c_str()), 0);
  FsUsageSample u = MeasureDir(dir->path());
  EXPECT_EQ(u.inodes, 4u);  // root, a, a/b, the file (its second name is not counted)
  EXPECT_GE(u.bytes, 64u * 1024);
  EXPECT_LT(u.bytes, 2u * 64 * 1024 + 3 * 64 * 1024);
}

TEST(MeasureDir, MissingDirIsZero) {
  FsUsageSample u = MeasureDir("/nonexistent/upper");
  EXPECT_EQ(u.bytes, 0u);
  EXPECT_EQ(u.inodes, 0u);
}

TEST(FsUsageCache, ReusesAFreshSampleThenWalksAgain) {
  auto dir = sys::TempDir::Make("stats-fs-");
  ASSERT_TRUE(dir.ok());
  FsUsageCache cache;
  FsUsageSample first = cache.Get("c1", dir->path(), "/var/lib/x", 100 * kSec);
  EXPECT_EQ(first.mountpoint, "/var/lib/x");
  EXPECT_EQ(first.inodes, 1u);
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("new"), std::string(8192, 'y')).ok());
  EXPECT_EQ(cache.Get("c1", dir->path(), "/var/lib/x", 102 * kSec).inodes, 1u);  // cached
  FsUsageSample later = cache.Get("c1", dir->path(), "/var/lib/x", 106 * kSec);
  EXPECT_EQ(later.inodes, 2u);
  EXPECT_GT(later.bytes, first.bytes);
  EXPECT_EQ(later.timestamp_ns, 106 * kSec);
}

}  // namespace
}  // namespace cricket::pod
