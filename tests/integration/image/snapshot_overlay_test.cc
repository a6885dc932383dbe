// Container rootfs snapshots through a real overlay mount (as root):
// whiteouts and opaque dirs hide lower files, ownership/setuid/xattrs show
// through, writes land in the upper dir, 200 layers mount (past the one-page
// option limit with absolute paths), and Remove leaves no mount behind.
#include "image/snapshot.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "absl/strings/str_cat.h"
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

using testing::Dir;
using testing::File;
using testing::TarEntry;

class SnapshotOverlayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    auto t = sys::TempDir::Make("snap-", "/var/tmp");
    ASSERT_TRUE(t.ok());
    tmp_ = std::make_unique<sys::TempDir>(std::move(*t));
    testing::LeakCheck::Options lo;
    lo.only_matching = {tmp_->path()};
    lo.iptables = false;
    leaks_ = std::make_unique<testing::LeakCheck>(lo);
    layers_ = std::make_unique<LayerStore>(tmp_->Sub("layers"));
    snaps_ = std::make_unique<SnapshotManager>(tmp_->Sub("containers"));
    ASSERT_TRUE(layers_->Init().ok());
    ASSERT_TRUE(snaps_->Init().ok());
  }
  void TearDown() override {
    if (snaps_) {
      for (const char* id : {"c1", "many"}) EXPECT_TRUE(snaps_->Remove(id).ok());
    }
    if (leaks_) leaks_->ExpectNoLeaks();
  }
  // Unpacks entries as a layer on top of `below` (a chain ID or "").
  std::string AddLayer(const std::vector<TarEntry>& entries, const std::string& below) {
    auto tar = testing::MakeTar(entries, testing::TarCompression::kGzip);
    EXPECT_TRUE(tar.ok());
    std::string diff = Sha256String(*testing::MakeTar(entries));
    std::string chain = below.empty() ? diff : Sha256String(below + " " + diff);
    std::string blob = tmp_->Sub("blob-" + chain.substr(7, 12));
    EXPECT_TRUE(sys::WriteFileAtomic(blob, *tar).ok());
    absl::Status st = layers_->Ensure(chain, diff, blob, UnpackOptions());
    EXPECT_TRUE(st.ok()) << st;
    return chain;
  }

  std::unique_ptr<sys::TempDir> tmp_;
  std::unique_ptr<testing::LeakCheck> leaks_;
  std::unique_ptr<LayerStore> layers_;
  std::unique_ptr<SnapshotManager> snaps_;
};

TEST_F(SnapshotOverlayTest, WhiteoutsOpaqueDirsAndMetadata) {
  TarEntry suid = File("bin/suid", "s", 04755);
  suid.uid = 1000;
  suid.gid = 1000;
  TarEntry tagged = File("bin/tagged", "t");
  tagged.xattrs["user.cricket"] = "v";
  std::string l0 = AddLayer({Dir("a"), File("a/keep", "k"), File("a/gone", "g"), Dir("o"),
                             File("o/old", "old"), Dir("bin"), suid, tagged},
                            "");
  std::string l1 = AddLayer({Dir("a"), File("a/.wh.gone", ""), Dir("o"), File("o/.wh..wh..opq", ""),
                             File("o/new", "new")},
                            l0);
  auto rootfs = snaps_->Prepare("c1", {layers_->FsPath(l0), layers_->FsPath(l1)});
  ASSERT_TRUE(rootfs.ok()) << rootfs.status();
  EXPECT_TRUE(sys::IsMountPoint(*rootfs));
  EXPECT_EQ(*sys::ReadFile(*rootfs + "/a/keep"), "k");
  EXPECT_FALSE(sys::PathExists(*rootfs + "/a/gone"));
  EXPECT_FALSE(sys::PathExists(*rootfs + "/o/old"));
  EXPECT_EQ(*sys::ReadFile(*rootfs + "/o/new"), "new");
  struct stat st;
  ASSERT_EQ(::stat((*rootfs + "/bin/suid").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 04755u);
  EXPECT_EQ(st.st_uid, 1000u);
  char v[8] = {};
  EXPECT_EQ(::getxattr((*rootfs + "/bin/tagged").c_str(), "user.cricket", v, sizeof v), 1);
  // Writes go to this container's upper dir, never into a shared layer.
  ASSERT_TRUE(sys::WriteFileAtomic(*rootfs + "/a/keep", "changed").ok());
  EXPECT_EQ(*sys::ReadFile(layers_->FsPath(l0) + "/a/keep"), "k");
  EXPECT_EQ(*sys::ReadFile(tmp_->Sub("containers/c1/upper/a/keep")), "changed");
  // Prepare again (a retried CreateContainer) returns the same mount.
  auto again = snaps_->Prepare("c1", {layers_->FsPath(l0), layers_->FsPath(l1)});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *rootfs);
  ASSERT_TRUE(snaps_->Remove("c1").ok());
  EXPECT_FALSE(sys::PathExists(tmp_->Sub("containers/c1")));
  EXPECT_TRUE(sys::PathExists(layers_->FsPath(l0) + "/a/keep"));
}

TEST_F(SnapshotOverlayTest, TwoHundredLayers) {
  std::vector<std::string> dirs;
  std::string chain;
  for (int i = 0; i < 200; ++i) {
    chain = AddLayer({File(absl::StrCat("f", i), "x"), File("top", absl::StrCat(i))}, chain);
    dirs.push_back(layers_->FsPath(chain));
  }
  size_t absolute = 0;
  for (const std::string& d : dirs) absolute += d.size() + 1;
  ASSERT_GT(absolute, 4096u) << "absolute lowerdirs would have fit; the test proves nothing";
  auto rootfs = snaps_->Prepare("many", dirs);
  ASSERT_TRUE(rootfs.ok()) << rootfs.status();
  EXPECT_TRUE(sys::PathExists(*rootfs + "/f0"));
  EXPECT_TRUE(sys::PathExists(*rootfs + "/f199"));
  EXPECT_EQ(*sys::ReadFile(*rootfs + "/top"), "199");  // the top layer wins
  ASSERT_TRUE(snaps_->Remove("many").ok());
}

TEST_F(SnapshotOverlayTest, RejectsBadContainerIds) {
  for (const char* id : {"", "../x", "a/b", ".hidden"}) {
    EXPECT_EQ(snaps_->Prepare(id, {}).status().code(), absl::StatusCode::kInvalidArgument) << id;
  }
}

TEST_F(SnapshotOverlayTest, ImageWithoutLayers) {
  auto rootfs = snaps_->Prepare("c1", {});
  ASSERT_TRUE(rootfs.ok()) << rootfs.status();
  ASSERT_TRUE(sys::WriteFileAtomic(*rootfs + "/x", "y").ok());
}

}  // namespace
}  // namespace cricket::image
