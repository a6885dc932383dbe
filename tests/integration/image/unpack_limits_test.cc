// Layer unpack as root against real limits: a full disk (a 2 MiB tmpfs made
// by the test) is ResourceExhausted and leaves no layer and no temp dir;
// device nodes are created as root and refused by policy.
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "gtest/gtest.h"
#include "image/digest.h"
#include "image/layer_store.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/layer_tar.h"
#include "tests/fixtures/leak_check.h"
#include "tests/fixtures/partners.h"

namespace cricket::image {
namespace {

using testing::File;
using testing::TarEntry;

TEST(UnpackLimitsTest, FullDiskIsResourceExhaustedAndLeavesNoLayer) {
  CRICKET_REQUIRE_ROOT();
  auto tmp = sys::TempDir::Make("unpack-full-", "/var/tmp");
  ASSERT_TRUE(tmp.ok());
  testing::LeakCheck::Options lo;
  lo.only_matching = {tmp->path()};
  lo.iptables = false;
  testing::LeakCheck leaks(lo);
  {
    ASSERT_TRUE(sys::MkdirAll(tmp->Sub("small")).ok());
    auto mnt = sys::ScopedMount::Make("tmpfs", tmp->Sub("small"), "tmpfs", MS_NOSUID | MS_NODEV,
                                      "size=2m,mode=0700");
    ASSERT_TRUE(mnt.ok()) << mnt.status();
    LayerStore layers(tmp->Sub("small/layers"));
    ASSERT_TRUE(layers.Init().ok());
    // 4 MiB of file data in a small gzip blob kept outside the tmpfs.
    std::vector<TarEntry> entries = {File("a", std::string(1 << 20, 'a')),
                                     File("big", std::string(4 << 20, 'b'))};
    auto tar = testing::MakeTar(entries, testing::TarCompression::kGzip);
    ASSERT_TRUE(tar.ok());
    ASSERT_TRUE(sys::WriteFileAtomic(tmp->Sub("blob"), *tar).ok());
    std::string chain = Sha256String(*testing::MakeTar(entries));
    absl::Status st = layers.Ensure(chain, chain, tmp->Sub("blob"), UnpackOptions());
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.code(), absl::StatusCode::kResourceExhausted) << st;
    EXPECT_NE(std::string(st.message()).find("\"big\""), std::string::npos) << st;
    EXPECT_FALSE(layers.Has(chain));
    EXPECT_TRUE(sys::ListDir(tmp->Sub("small/layers"))->empty());  // no temp dir either
    EXPECT_TRUE(mnt->Unmount().ok());
  }
  leaks.ExpectNoLeaks();
}

TEST(UnpackLimitsTest, DevicesAsRootAndByPolicy) {
  CRICKET_REQUIRE_ROOT();
  auto tmp = sys::TempDir::Make("unpack-dev-", "/var/tmp");
  ASSERT_TRUE(tmp.ok());
  TarEntry null;
  null.kind = TarEntry::kChar;
  null.name = "dev/null";
  null.major = 1;
  null.minor = 3;
  null.mode = 0666;
  TarEntry loop = null;
  loop.kind = TarEntry::kBlock;
  loop.name = "dev/loop9";
  loop.major = 7;
  loop.minor = 9;
  loop.mode = 0660;
  auto tar = testing::MakeTar({null, loop});
  ASSERT_TRUE(sys::WriteFileAtomic(tmp->Sub("blob"), *tar).ok());
  LayerStore layers(tmp->Sub("layers"));
  ASSERT_TRUE(layers.Init().ok());
  std::string chain = Sha256String(*tar);
  UnpackOptions no_devices;
  no_devices.allow_devices = false;
  absl::Status st = layers.Ensure(chain, chain, tmp->Sub("blob"), no_devices);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << st;
  EXPECT_FALSE(layers.Has(chain));
  ASSERT_TRUE(layers.Ensure(chain, chain, tmp->Sub("blob"), UnpackOptions()).ok());
  struct stat s;
  ASSERT_EQ(::lstat((layers.FsPath(chain) + "/dev/null").c_str(), &s), 0);
  EXPECT_TRUE(S_ISCHR(s.st_mode));
  EXPECT_EQ(s.st_rdev, makedev(1, 3));
  EXPECT_EQ(s.st_mode & 07777, 0666u);
  ASSERT_EQ(::lstat((layers.FsPath(chain) + "/dev/loop9").c_str(), &s), 0);
  EXPECT_TRUE(S_ISBLK(s.st_mode));
  EXPECT_EQ(s.st_rdev, makedev(7, 9));
}

}  // namespace
}  // namespace cricket::image
