// The cgroup parents cricketd makes for pods, on the real cgroup tree: what
// is made is removed with the last pod under it, whichever pod made it, a
// parent someone else made is never removed, processes a crash left in a
// pod's parent are killed with it, and a restart removes what no pod uses.
#include "pod/cgroup_parents.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "pod/record_store.h"
#include "tests/fixtures/leak_check.h"
#include "tests/fixtures/partners.h"

namespace cricket::pod {
namespace {

using cricket::testing::LeakCheck;

constexpr char kCg[] = "/sys/fs/cgroup";

bool Made(const std::string& path) { return sys::PathExists(absl::StrCat(kCg, "/memory", path)); }

class CgroupParentsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    auto dir = sys::TempDir::Make("cricket-cgroup-parents-");
    ASSERT_TRUE(dir.ok());
    dir_ = std::move(*dir);
    top_ = absl::StrCat("/cricket-parents-test-", getpid());
    leaks_ = std::make_unique<LeakCheck>(LeakCheck::Options{{dir_.path(), top_}, true});
    records_ = std::make_unique<RecordStore>(dir_.Sub("records"));
    parents_ = std::make_unique<CgroupParents>(records_.get(), kCg);
  }

  void TearDown() override {
    if (parents_) {
      // Whatever a failed test left: no pod is known to a fresh instance.
      CgroupParents fresh(records_.get(), kCg);
      EXPECT_TRUE(fresh.RemoveUnused().ok());
    }
    RemoveEverywhere(top_);  // what the test itself made, in every hierarchy
    if (leaks_) leaks_->ExpectNoLeaks();
  }

  // rmdir of `path` and the dirs below it in every hierarchy (depth first).
  static void RemoveEverywhere(const std::string& path) {
    if (path.empty()) return;
    std::system(absl::StrCat("find ", kCg, "/*", path, " -depth -type d -exec rmdir {} + 2>/dev/null").c_str());
  }

  // A process in `path` in every v1 hierarchy (and the unified one), as a
  // container's process a crash cut off from its record would be.
  sys::ChildProcess Orphan(const std::string& path) {
    sys::SpawnOptions o;
    o.argv = {"sleep", "1000"};
    auto child = sys::ChildProcess::Spawn(o);
    EXPECT_TRUE(child.ok()) << child.status();
    if (!child.ok()) return {};
    DIR* d = ::opendir(kCg);
    for (struct dirent* e; d != nullptr && (e = ::readdir(d)) != nullptr;) {
      std::string dir = absl::StrCat(kCg, "/", e->d_name, path);
      std::string procs = dir + "/cgroup.procs";
      // The container's own dir below the pod's parent, as the engine makes it.
      if (e->d_name[0] != '.' && sys::PathExists(dir.substr(0, dir.rfind('/')))) ::mkdir(dir.c_str(), 0755);
      if (e->d_name[0] != '.' && sys::PathExists(procs)) {
        std::ofstream(procs) << child->pid();  // cgroup files take one write, no rename
      }
    }
    if (d != nullptr) ::closedir(d);
    return std::move(*child);
  }

  sys::TempDir dir_;
  std::string top_;
  std::unique_ptr<LeakCheck> leaks_;
  std::unique_ptr<RecordStore> records_;
  std::unique_ptr<CgroupParents> parents_;
};

TEST_F(CgroupParentsTest, ASharedTopGoesWithTheLastPodWhicheverMadeIt) {
  // a makes the top and its own dir; b finds the top there and makes its own.
  ASSERT_TRUE(parents_->Use("a", top_ + "/a").ok());
  ASSERT_TRUE(parents_->Use("b", top_ + "/b").ok());
  EXPECT_TRUE(Made(top_ + "/a"));
  EXPECT_TRUE(Made(top_ + "/b"));
  // The maker goes first: its own dir goes, the top stays for b.
  ASSERT_TRUE(parents_->Release("a", top_ + "/a").ok());
  EXPECT_FALSE(Made(top_ + "/a"));
  EXPECT_TRUE(Made(top_ + "/b"));
  // The last pod takes the top with it (the old code leaked b's dir here).
  ASSERT_TRUE(parents_->Release("b", top_ + "/b").ok());
  EXPECT_FALSE(Made(top_));
}

TEST_F(CgroupParentsTest, AParentSomeoneElseMadeIsNeverRemoved) {
  ASSERT_TRUE(sys::MkdirAll(absl::StrCat(kCg, "/memory", top_), 0755).ok());
  ASSERT_TRUE(parents_->Use("a", top_ + "/a").ok());
  ASSERT_TRUE(parents_->Release("a", top_ + "/a").ok());
  EXPECT_FALSE(Made(top_ + "/a"));
  EXPECT_TRUE(Made(top_));  // the kubelet's (here: the test's) own
  RemoveEverywhere(top_);
  // A parent that existed whole is not ours at all.
  ASSERT_TRUE(sys::MkdirAll(absl::StrCat(kCg, "/memory", top_, "/k"), 0755).ok());
  ASSERT_TRUE(parents_->Use("k", top_ + "/k").ok());
  ASSERT_TRUE(parents_->Release("k", top_ + "/k").ok());
  EXPECT_TRUE(Made(top_ + "/k"));
}

TEST_F(CgroupParentsTest, ProcessesLeftInAReleasedParentAreKilledWithIt) {
  ASSERT_TRUE(parents_->Use("a", top_ + "/a").ok());
  ASSERT_TRUE(parents_->Use("b", top_ + "/b").ok());
  sys::ChildProcess orphan = Orphan(top_ + "/a/ctr");
  sys::ChildProcess neighbour = Orphan(top_ + "/b/ctr");
  ASSERT_TRUE(parents_->Release("a", top_ + "/a").ok());
  auto exit = orphan.WaitFor(std::chrono::seconds(10));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(exit->signal(), SIGKILL);
  EXPECT_FALSE(Made(top_ + "/a"));
  // b's process is b's: untouched, and so is the top it sits under.
  EXPECT_FALSE(neighbour.WaitFor(std::chrono::milliseconds(50)).ok());
  EXPECT_TRUE(Made(top_ + "/b/ctr"));
  ASSERT_TRUE(parents_->Release("b", top_ + "/b").ok());
  EXPECT_TRUE(neighbour.WaitFor(std::chrono::seconds(10)).ok());
  EXPECT_FALSE(Made(top_));
}

TEST_F(CgroupParentsTest, ARestartRemovesWhatNoKnownPodUses) {
  ASSERT_TRUE(parents_->Use("a", top_ + "/a").ok());
  ASSERT_TRUE(parents_->Use("b", top_ + "/b").ok());
  // A crash; after it only b's record survived (a was being removed).
  parents_ = std::make_unique<CgroupParents>(records_.get(), kCg);
  parents_->Known("b", top_ + "/b");
  ASSERT_TRUE(parents_->RemoveUnused().ok());
  EXPECT_TRUE(Made(top_ + "/a"));  // under the top b still uses: b's release takes it
  EXPECT_TRUE(Made(top_ + "/b"));
  ASSERT_TRUE(parents_->Release("b", top_ + "/b").ok());
  EXPECT_FALSE(Made(top_));
  // And with no pod left at all, the next start removes every made dir.
  ASSERT_TRUE(parents_->Use("c", top_ + "/c").ok());
  parents_ = std::make_unique<CgroupParents>(records_.get(), kCg);
  ASSERT_TRUE(parents_->RemoveUnused().ok());
  EXPECT_FALSE(Made(top_));
}

}  // namespace
}  // namespace cricket::pod
