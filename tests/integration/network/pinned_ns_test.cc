// sys::PinnedNamespace against the real kernel: pin, open, adopt, unpin.
#include "oci/sys/pinned_ns.h"

#include <sys/stat.h>
#include <unistd.h>

#include <set>
#include <thread>

#include "gtest/gtest.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/cni_fixture.h"
#include "tests/fixtures/leak_check.h"
#include "tests/fixtures/partners.h"

namespace cricket::sys {
namespace {

ino_t Inode(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

class PinnedNamespaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    auto dir = TempDir::Make("crk-pin-");
    ASSERT_TRUE(dir.ok());
    dir_ = std::make_unique<TempDir>(std::move(*dir));
    leak_ = std::make_unique<testing::LeakCheck>(
        testing::LeakCheck::Options{{dir_->path()}, false});
  }
  void TearDown() override {
    if (leak_) leak_->ExpectNoLeaks();
  }
  std::unique_ptr<TempDir> dir_;
  std::unique_ptr<testing::LeakCheck> leak_;
};

TEST_F(PinnedNamespaceTest, PinsANewNetNamespaceAndUnpinsOnDestruction) {
  std::string path;
  {
    auto ns = PinnedNamespace::Create(NamespaceType::kNet, dir_->Sub("ns"), "pod1");
    ASSERT_TRUE(ns.ok()) << ns.status();
    path = ns->path();
    EXPECT_EQ(path, dir_->Sub("ns/pod1"));
    EXPECT_NE(Inode(path), Inode("/proc/self/ns/net"));  // a new namespace, not ours
    EXPECT_NE(Inode(path), 0u);
    auto fd = ns->Open();
    ASSERT_TRUE(fd.ok()) << fd.status();
    // The same name twice is refused.
    auto again = PinnedNamespace::Create(NamespaceType::kNet, dir_->Sub("ns"), "pod1");
    EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
    // Only lo, and it lives in the pinned namespace.
    auto res = testing::CniFixture::RunOnHost({"nsenter", "--net=" + path, "ip", "-o", "link"});
    ASSERT_TRUE(res.ok());
    EXPECT_NE(res->out.find("lo:"), std::string::npos);
    EXPECT_EQ(res->out.find("eth"), std::string::npos);
  }
  EXPECT_FALSE(PathExists(path));
}

TEST_F(PinnedNamespaceTest, ReleaseThenAdoptAfterARestart) {
  std::string path;
  ino_t ino = 0;
  {
    auto ns = PinnedNamespace::Create(NamespaceType::kIpc, dir_->path(), "ipc1");
    ASSERT_TRUE(ns.ok()) << ns.status();
    ino = Inode(ns->path());
    path = ns->Release();
  }
  ASSERT_TRUE(PathExists(path));  // survived the handle
  auto adopted = PinnedNamespace::Adopt(NamespaceType::kIpc, path);
  ASSERT_TRUE(adopted.ok()) << adopted.status();
  EXPECT_EQ(Inode(adopted->path()), ino);
  ASSERT_TRUE(adopted->Remove().ok());
  ASSERT_TRUE(adopted->Remove().ok());  // idempotent
  EXPECT_FALSE(PathExists(path));
  EXPECT_EQ(PinnedNamespace::Adopt(NamespaceType::kIpc, path).status().code(),
            absl::StatusCode::kNotFound);
  // A plain file (a crash between create and mount) is not adopted, but removed.
  ASSERT_TRUE(MkdirAll(dir_->Sub("stale")).ok());
  EXPECT_EQ(PinnedNamespace::Adopt(NamespaceType::kNet, dir_->Sub("stale")).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(RemovePinnedNamespace(dir_->Sub("missing")).ok());
}

TEST_F(PinnedNamespaceTest, UtsInitRunsInsideTheNewNamespace) {
  char before[256] = {};
  gethostname(before, sizeof before - 1);
  auto ns = PinnedNamespace::Create(NamespaceType::kUts, dir_->path(), "uts1", [] {
    return sethostname("crk-pod-host", 12) == 0 ? absl::OkStatus()
                                                : absl::InternalError("sethostname");
  });
  ASSERT_TRUE(ns.ok()) << ns.status();
  auto res = testing::CniFixture::RunOnHost({"nsenter", "--uts=" + ns->path(), "hostname"});
  ASSERT_TRUE(res.ok());
  EXPECT_EQ(res->out, "crk-pod-host\n");
  char after[256] = {};
  gethostname(after, sizeof after - 1);
  EXPECT_STREQ(before, after);  // ours is untouched
  auto failing = PinnedNamespace::Create(NamespaceType::kUts, dir_->path(), "uts2",
                                         [] { return absl::InternalError("boom"); });
  EXPECT_FALSE(failing.ok());
  EXPECT_FALSE(PathExists(dir_->Sub("uts2")));
}

TEST_F(PinnedNamespaceTest, ConcurrentCreationFromManyThreads) {
  ino_t ours = Inode("/proc/self/ns/net");
  std::vector<PinnedNamespace> pins(16);
  std::vector<std::thread> threads;
  for (int i = 0; i < 16; ++i) {
    threads.emplace_back([&, i] {
      auto ns = PinnedNamespace::Create(NamespaceType::kNet, dir_->path(), absl::StrCat("p", i));
      if (ns.ok()) pins[i] = std::move(*ns);
    });
  }
  for (auto& t : threads) t.join();
  std::set<ino_t> inodes;
  for (const auto& p : pins) {
    ASSERT_TRUE(p.valid());
    inodes.insert(Inode(p.path()));
  }
  EXPECT_EQ(inodes.size(), 16u);
  EXPECT_EQ(Inode("/proc/self/ns/net"), ours);  // the calling threads never moved
  EXPECT_EQ(inodes.count(ours), 0u);
}

}  // namespace
}  // namespace cricket::sys
