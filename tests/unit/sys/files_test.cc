// Atomic files, temp dirs, tree removal and rollback.
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/rollback.h"
#include "oci/sys/temp_dir.h"

namespace cricket::sys {
namespace {

TEST(AtomicFileTest, WritesReadsAndReplaces) {
  auto dir = TempDir::Make();
  ASSERT_TRUE(dir.ok());
  std::string p = dir->Sub("rec.json");
  ASSERT_TRUE(WriteFileAtomic(p, "one", 0600).ok());
  ASSERT_TRUE(WriteFileAtomic(p, "two").ok());
  EXPECT_EQ(*ReadFile(p), "two");
  struct stat st;
  ASSERT_EQ(stat(p.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  // No temp files are left beside it.
  EXPECT_EQ(ListDir(dir->path())->size(), 1u);
  EXPECT_EQ(ReadFile(dir->Sub("missing")).status().code(), absl::StatusCode::kNotFound);
}

TEST(FsTest, MkdirAllAndRemoveAllNeverFollowLinks) {
  auto dir = TempDir::Make();
  auto outside = TempDir::Make();
  ASSERT_TRUE(dir.ok() && outside.ok());
  ASSERT_TRUE(WriteFileAtomic(outside->Sub("keep"), "x").ok());
  ASSERT_TRUE(MkdirAll(dir->Sub("a/b/c")).ok());
  ASSERT_TRUE(MkdirAll(dir->Sub("a/b/c")).ok());
  ASSERT_EQ(symlink(outside->path().c_str(), dir->Sub("a/link").c_str()), 0);
  ASSERT_TRUE(RemoveAll(dir->Sub("a")).ok());
  EXPECT_FALSE(PathExists(dir->Sub("a")));
  EXPECT_TRUE(PathExists(outside->Sub("keep")));
  EXPECT_TRUE(RemoveAll(dir->Sub("never-was")).ok());
}

TEST(TempDirTest, RemovedOnDestruction) {
  std::string path;
  {
    auto dir = TempDir::Make("cricket-test-");
    ASSERT_TRUE(dir.ok());
    path = dir->path();
    ASSERT_TRUE(MkdirAll(dir->Sub("x/y")).ok());
  }
  EXPECT_FALSE(PathExists(path));
}

TEST(RollbackTest, UndoesInReverseUnlessCommitted) {
  std::vector<int> order;
  {
    Rollback rb;
    rb.Add("one", [&] { order.push_back(1); return absl::OkStatus(); });
    rb.Add("two", [&] { order.push_back(2); return absl::OkStatus(); });
  }
  EXPECT_EQ(order, (std::vector<int>{2, 1}));
  order.clear();
  {
    Rollback rb;
    rb.Add("one", [&] { order.push_back(1); return absl::OkStatus(); });
    rb.Commit();
  }
  EXPECT_TRUE(order.empty());
}

TEST(RollbackTest, ReportsFailedUndosAndRunsTheRest) {
  Rollback rb;
  bool ran_first = false;
  rb.Add("release name", [&] { ran_first = true; return absl::OkStatus(); });
  rb.Add("tear down network", [] { return absl::UnavailableError("plugin bridge: busy"); });
  absl::Status st = rb.Run();
  EXPECT_TRUE(ran_first);
  EXPECT_EQ(st.code(), absl::StatusCode::kInternal);
  EXPECT_NE(st.message().find("tear down network: plugin bridge: busy"), absl::string_view::npos);
  EXPECT_TRUE(rb.empty());
}

}  // namespace
}  // namespace cricket::sys
