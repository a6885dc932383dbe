// ReadRegularFileInRoot: what an image put in its rootfs is read from the
// host only when it is a regular file of bounded size, found inside the root.
#include "oci/sys/read_in_root.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"

namespace cricket::sys {
namespace {

constexpr size_t kMax = 4u << 20;

class ReadInRootTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto r = TempDir::Make("read-root-");
    auto o = TempDir::Make("read-outside-");
    ASSERT_TRUE(r.ok() && o.ok());
    root_ = std::move(*r);
    outside_ = std::move(*o);
    ASSERT_TRUE(MkdirAll(root_.Sub("etc")).ok());
  }
  // The message must name the file the image put there.
  static void ExpectNamed(const absl::Status& st, const std::string& name) {
    EXPECT_NE(st.message().find(name), std::string::npos) << st;
  }
  TempDir root_, outside_;
};

TEST_F(ReadInRootTest, ReadsARegularFile) {
  ASSERT_TRUE(WriteFileAtomic(root_.Sub("etc/passwd"), "root:x:0:0::/root:/bin/sh\n", 0644).ok());
  auto text = ReadRegularFileInRoot(root_.path(), "/etc/passwd", kMax);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "root:x:0:0::/root:/bin/sh\n");
}

TEST_F(ReadInRootTest, MissingIsNotFound) {
  auto text = ReadRegularFileInRoot(root_.path(), "/etc/group", kMax);
  EXPECT_TRUE(absl::IsNotFound(text.status())) << text.status();
  ExpectNamed(text.status(), "/etc/group");
}

// Opening a FIFO for reading blocks until a writer comes: the old reader hung
// (or, with O_NONBLOCK, still opened it). Never opened now, so this returns.
TEST_F(ReadInRootTest, FifoIsRefusedWithoutOpeningIt) {
  ASSERT_EQ(::mkfifo(root_.Sub("etc/passwd").c_str(), 0644), 0);
  auto text = ReadRegularFileInRoot(root_.path(), "/etc/passwd", kMax);
  EXPECT_EQ(text.status().code(), absl::StatusCode::kFailedPrecondition) << text.status();
  ExpectNamed(text.status(), "/etc/passwd");
  EXPECT_NE(text.status().message().find("FIFO"), std::string::npos) << text.status();
}

TEST_F(ReadInRootTest, DirectoryIsRefused) {
  ASSERT_TRUE(MkdirAll(root_.Sub("etc/group")).ok());
  auto text = ReadRegularFileInRoot(root_.path(), "etc/group", kMax);
  EXPECT_EQ(text.status().code(), absl::StatusCode::kFailedPrecondition) << text.status();
  ExpectNamed(text.status(), "etc/group");
}

// An absolute symlink to a host file resolves inside the root: the host's
// file is never read, the root's copy (if any) is.
TEST_F(ReadInRootTest, AbsoluteSymlinkStaysInsideTheRoot) {
  std::string host_file = outside_.Sub("shadow");
  ASSERT_TRUE(WriteFileAtomic(host_file, "host secret\n", 0600).ok());
  ASSERT_EQ(::symlink(host_file.c_str(), root_.Sub("etc/passwd").c_str()), 0);
  auto text = ReadRegularFileInRoot(root_.path(), "/etc/passwd", kMax);
  EXPECT_TRUE(absl::IsNotFound(text.status())) << (text.ok() ? *text : text.status().ToString());

  ASSERT_TRUE(MkdirAll(root_.path() + outside_.path()).ok());
  ASSERT_TRUE(WriteFileAtomic(root_.path() + host_file, "image's own\n", 0644).ok());
  text = ReadRegularFileInRoot(root_.path(), "/etc/passwd", kMax);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(*text, "image's own\n");
}

TEST_F(ReadInRootTest, DotDotCannotClimbOut) {
  ASSERT_TRUE(WriteFileAtomic(outside_.Sub("f"), "host\n", 0644).ok());
  std::string climb = "../../../../../../../.." + outside_.Sub("f");
  auto text = ReadRegularFileInRoot(root_.path(), climb, kMax);
  EXPECT_TRUE(absl::IsNotFound(text.status())) << (text.ok() ? *text : text.status().ToString());
}

// A sparse 10 GB file costs no disk but would cost 10 GB of memory to read.
TEST_F(ReadInRootTest, HugeFileIsRefusedByItsSize) {
  UniqueFd fd(::open(root_.Sub("etc/passwd").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644));
  ASSERT_TRUE(fd);
  ASSERT_EQ(::ftruncate(fd.get(), 10ll << 30), 0);
  fd.Reset();
  auto text = ReadRegularFileInRoot(root_.path(), "/etc/passwd", kMax);
  EXPECT_EQ(text.status().code(), absl::StatusCode::kResourceExhausted) << text.status();
  ExpectNamed(text.status(), "/etc/passwd");
}

TEST_F(ReadInRootTest, FileOfExactlyTheLimitIsRead) {
  ASSERT_TRUE(WriteFileAtomic(root_.Sub("f"), std::string(100, 'x'), 0644).ok());
  auto text = ReadRegularFileInRoot(root_.path(), "f", 100);
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_EQ(text->size(), 100u);
  EXPECT_EQ(ReadRegularFileInRoot(root_.path(), "f", 99).status().code(),
            absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace cricket::sys
