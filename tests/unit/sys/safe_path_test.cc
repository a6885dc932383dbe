// Lookups confined to a root: "..", absolute and climbing symlinks all stay inside.
#include "oci/sys/safe_path.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"

namespace cricket::sys {
namespace {

class SafePathTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = TempDir::Make("root-");
    auto o = TempDir::Make("outside-");
    ASSERT_TRUE(r.ok() && o.ok());
    root_ = std::move(*r);
    outside_ = std::move(*o);
    auto fd = OpenRoot(root_.path());
    ASSERT_TRUE(fd.ok());
    root_fd_ = std::move(*fd);
  }
  TempDir root_, outside_;
  UniqueFd root_fd_;
};

TEST_F(SafePathTest, AbsoluteSymlinkResolvesInsideRoot) {
  ASSERT_EQ(symlink(outside_.path().c_str(), root_.Sub("evil").c_str()), 0);
  auto dir = MkdirAllInRoot(root_fd_.get(), "evil/sub");
  ASSERT_TRUE(dir.ok()) << dir.status();
  // The directory was made inside the root, at <root>/<outside path>/sub.
  EXPECT_TRUE(PathExists(root_.path() + outside_.path() + "/sub"));
  EXPECT_FALSE(PathExists(outside_.Sub("sub")));
}

TEST_F(SafePathTest, DotDotCannotClimbOut) {
  auto fd = OpenInRoot(root_fd_.get(), "../../../../created", O_WRONLY | O_CREAT, 0644);
  ASSERT_TRUE(fd.ok()) << fd.status();
  EXPECT_TRUE(PathExists(root_.Sub("created")));
}

TEST_F(SafePathTest, RelativeSymlinkThatClimbsIsConfined) {
  ASSERT_TRUE(MkdirAll(root_.Sub("a")).ok());
  ASSERT_EQ(symlink("../../../../..", root_.Sub("a/up").c_str()), 0);
  auto fd = OpenInRoot(root_fd_.get(), "a/up/file", O_WRONLY | O_CREAT, 0644);
  ASSERT_TRUE(fd.ok()) << fd.status();
  EXPECT_TRUE(PathExists(root_.Sub("file")));
}

TEST_F(SafePathTest, MissingEntryIsNotFound) {
  auto fd = OpenInRoot(root_fd_.get(), "no/such", O_RDONLY);
  EXPECT_EQ(fd.status().code(), absl::StatusCode::kNotFound);
}

TEST(SplitPathTest, DropsEmptyAndDot) {
  EXPECT_EQ(SplitPath("/a//b/./c/"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(SplitPath("../x"), (std::vector<std::string>{"..", "x"}));
}

}  // namespace
}  // namespace cricket::sys
