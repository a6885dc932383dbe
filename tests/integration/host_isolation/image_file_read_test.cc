// The image's /etc/passwd and /etc/group as cricketd reads them for
// run_as_username: device nodes (mknod needs root) are refused by name and
// never opened; a missing file is an empty one, as before.
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "pod/host_lookups.h"
#include "tests/fixtures/partners.h"

namespace cricket::pod {
namespace {

class ImageFileReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    auto r = sys::TempDir::Make("image-rootfs-");
    ASSERT_TRUE(r.ok());
    rootfs_ = std::move(*r);
    ASSERT_TRUE(sys::MkdirAll(rootfs_.Sub("etc")).ok());
  }
  void ExpectRefused(const std::string& rel, const std::string& what) {
    auto text = ReadImageFile(rootfs_.path(), rel);
    ASSERT_FALSE(text.ok()) << "read " << text->size() << " bytes of " << what;
    EXPECT_EQ(text.status().code(), absl::StatusCode::kFailedPrecondition) << text.status();
    EXPECT_NE(text.status().message().find(rel + " is " + what), std::string::npos)
        << text.status();
  }
  sys::TempDir rootfs_;
};

// c 1 3 is /dev/null here; on a node it could as well be a watchdog (10:130).
TEST_F(ImageFileReadTest, CharacterDeviceIsRefused) {
  ASSERT_EQ(::mknod(rootfs_.Sub("etc/passwd").c_str(), S_IFCHR | 0644, makedev(1, 3)), 0);
  ExpectRefused("/etc/passwd", "a character device");
}

TEST_F(ImageFileReadTest, BlockDeviceIsRefused) {
  ASSERT_EQ(::mknod(rootfs_.Sub("etc/group").c_str(), S_IFBLK | 0644, makedev(7, 0)), 0);
  ExpectRefused("/etc/group", "a block device");
}

TEST_F(ImageFileReadTest, SymlinkToAHostDeviceStaysInsideTheRoot) {
  ASSERT_EQ(::symlink("/dev/null", rootfs_.Sub("etc/passwd").c_str()), 0);
  auto text = ReadImageFile(rootfs_.path(), "/etc/passwd");  // <rootfs>/dev/null: missing
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "");
  ASSERT_TRUE(sys::MkdirAll(rootfs_.Sub("dev")).ok());
  ASSERT_EQ(::mknod(rootfs_.Sub("dev/null").c_str(), S_IFCHR | 0666, makedev(1, 3)), 0);
  ExpectRefused("/etc/passwd", "a character device");
}

TEST_F(ImageFileReadTest, MissingIsEmptyAndRegularIsRead) {
  auto missing = ReadImageFile(rootfs_.path(), "/etc/group");
  ASSERT_TRUE(missing.ok()) << missing.status();
  EXPECT_EQ(*missing, "");
  ASSERT_TRUE(sys::WriteFileAtomic(rootfs_.Sub("etc/group"), "root:x:0:\n", 0644).ok());
  EXPECT_EQ(ReadImageFile(rootfs_.path(), "/etc/group").value(), "root:x:0:\n");
}

}  // namespace
}  // namespace cricket::pod
