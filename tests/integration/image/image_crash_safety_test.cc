// The image layer's crash windows (issue 17), without a registry: images are
// imported from small docker archives made here. A tag moving between images
// is never lost; RemoveImage keeps the layers a snapshot still mounts; the
// start-up sweep removes snapshots without a container, temp files and what
// they alone kept.
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "image/digest.h"
#include "image/image_service.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/failpoint.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/leak_check.h"
#include "tests/fixtures/partners.h"

namespace cricket::image {
namespace {

class ImageCrashSafetyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    CRICKET_REQUIRE_PROGRAM(tar, "tar");
    auto tmp = sys::TempDir::Make("img-crash-", "/var/tmp");
    ASSERT_TRUE(tmp.ok());
    tmp_ = std::make_unique<sys::TempDir>(std::move(*tmp));
    config_.root_dir = tmp_->Sub("root");
    config_.state_dir = tmp_->Sub("run");
    config_.registries.certs_dir = tmp_->Sub("certs.d");
    Reopen();
  }

  // Also after a failed assertion: no snapshot stays mounted on the host.
  void TearDown() override {
    if (!svc_) return;
    for (const char* id : {"ctr-live", "ctr-orphan", "ctr-racing"}) (void)svc_->RemoveRootfs(id);
  }

  // A restart: a new ImageService on the same dirs.
  void Reopen() {
    svc_.reset();
    auto svc = ImageService::Open(config_);
    ASSERT_TRUE(svc.ok()) << svc.status();
    svc_ = std::move(*svc);
  }

  // A one-layer docker archive holding /hello with `content`, tagged `tag`.
  std::string Archive(const std::string& name, const std::string& content, const std::string& tag) {
    const std::string src = tmp_->Sub(name + "-src"), out = tmp_->Sub(name);
    EXPECT_TRUE(sys::MkdirAll(out + "/layer0").ok());
    EXPECT_TRUE(sys::MkdirAll(src).ok());
    EXPECT_TRUE(sys::WriteFileAtomic(src + "/hello", content).ok());
    sys::SpawnOptions o;
    o.argv = {"tar", "-C", src, "-cf", out + "/layer0/layer.tar", "."};
    auto tarred = sys::RunCommand(o);
    EXPECT_TRUE(tarred.ok() && tarred->exit.code() == 0);
    std::string layer = sys::ReadFile(out + "/layer0/layer.tar").value_or("");
    std::string cfg = R"({"os":"linux","architecture":"amd64","config":{"Cmd":["/hello"]},)"
                      R"("rootfs":{"type":"layers","diff_ids":[")" + Sha256String(layer) + "\"]}}";
    EXPECT_TRUE(sys::WriteFileAtomic(out + "/config.json", cfg).ok());
    EXPECT_TRUE(sys::WriteFileAtomic(out + "/manifest.json",
                                     R"([{"Config":"config.json","RepoTags":[")" + tag +
                                         R"("],"Layers":["layer0/layer.tar"]}])")
                    .ok());
    return out;
  }

  std::string Import(const std::string& name, const std::string& content, const std::string& tag) {
    auto id = svc_->Import(Archive(name, content, tag));
    EXPECT_TRUE(id.ok()) << id.status();
    return id.value_or("");
  }

  size_t Count(const std::string& dir) { return sys::ListDir(dir).value_or(std::vector<std::string>{}).size(); }

  std::unique_ptr<sys::TempDir> tmp_;
  conf::Config config_;
  std::unique_ptr<ImageService> svc_;
};

TEST_F(ImageCrashSafetyTest, ATagCutShortMidMoveStaysOnExactlyOneImage) {
  const std::string a = Import("a", "a\n", "example.com/app:1");
  ASSERT_TRUE(sys::ArmFailpoints("image.tag.new_holder_written=error").ok());
  // Stops between the new holder's write and the old one's: both files name the tag.
  auto b = svc_->Import(Archive("b", "b\n", "example.com/app:1"));
  ASSERT_FALSE(b.ok());
  Reopen();
  auto tagged = svc_->Status("example.com/app:1");
  ASSERT_TRUE(tagged.ok()) << tagged.status();
  EXPECT_NE(tagged->record.id, a) << "the tag went back to the image it was moving from";
  auto old = svc_->Status(a);
  ASSERT_TRUE(old.ok()) << old.status();
  EXPECT_TRUE(old->record.repo_tags.empty());
  // Settled on disk too, not only in memory.
  Reopen();
  EXPECT_TRUE(svc_->Status(a)->record.repo_tags.empty());
}

TEST_F(ImageCrashSafetyTest, RemoveImageKeepsTheLayersOfAMountedSnapshot) {
  testing::LeakCheck::Options lo;
  lo.only_matching = {tmp_->path()};
  lo.iptables = false;
  testing::LeakCheck leaks(lo);
  const std::string id = Import("a", "kept\n", "example.com/app:1");
  auto rootfs = svc_->PrepareRootfs("ctr-racing", id);
  ASSERT_TRUE(rootfs.ok()) << rootfs.status();
  // The race: the container is not recorded yet, so nothing says "in use".
  ASSERT_TRUE(svc_->Remove(id).ok());
  EXPECT_EQ(Count(svc_->paths().layers()), 1u) << "a lower layer of a mounted overlay was deleted";
  EXPECT_EQ(sys::ReadFile(*rootfs + "/hello").value_or(""), "kept\n");
  EXPECT_FALSE(svc_->Status(id).ok());
  // The container goes; the start-up sweep (or the next GC) takes the layer.
  ASSERT_TRUE(svc_->RemoveRootfs("ctr-racing").ok());
  ASSERT_TRUE(svc_->SweepOrphans({}).ok());
  EXPECT_EQ(Count(svc_->paths().layers()), 0u);
  EXPECT_EQ(Count(svc_->paths().blobs()), 0u);
  leaks.ExpectNoLeaks();
}

TEST_F(ImageCrashSafetyTest, RemoveImageWhileARootfsIsBeingPreparedKeepsItsLayers) {
  testing::LeakCheck::Options lo;
  lo.only_matching = {tmp_->path()};
  lo.iptables = false;
  testing::LeakCheck leaks(lo);
  const std::string id = Import("a", "kept\n", "example.com/app:1");
  // The create pauses after it looked the layers up, before the snapshot
  // links them; RemoveImage runs in that window.
  ASSERT_TRUE(sys::ArmFailpoints("container.create.rootfs_layers_leased=delay:1500").ok());
  absl::StatusOr<std::string> rootfs;
  std::atomic<pid_t> tid{0};
  std::thread create([&] {
    tid = static_cast<pid_t>(::syscall(SYS_gettid));
    rootfs = svc_->PrepareRootfs("ctr-racing", id);
  });
  // In the window: the create thread sleeps in the failpoint (its current
  // syscall is a nanosleep; nothing before the point sleeps).
  auto sleeping = [&] {
    std::string sc = sys::ReadFile(absl::StrCat("/proc/self/task/", tid.load(), "/syscall")).value_or("");
    return tid != 0 && (absl::StartsWith(sc, "230 ") || absl::StartsWith(sc, "35 "));
  };
  for (int i = 0; i < 1000 && !sleeping(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_TRUE(sleeping()) << "the create never reached the failpoint";
  absl::Status removed = svc_->Remove(id);
  create.join();
  ASSERT_TRUE(removed.ok()) << removed;
  ASSERT_TRUE(rootfs.ok()) << rootfs.status() << " (its layers were collected under it)";
  EXPECT_EQ(sys::ReadFile(*rootfs + "/hello").value_or(""), "kept\n");
  ASSERT_TRUE(svc_->RemoveRootfs("ctr-racing").ok());
  ASSERT_TRUE(svc_->SweepOrphans({}).ok());
  EXPECT_EQ(Count(svc_->paths().layers()), 0u);
  leaks.ExpectNoLeaks();
}

TEST_F(ImageCrashSafetyTest, StartUpSweepTakesOrphanSnapshotsAndTempFiles) {
  testing::LeakCheck::Options lo;
  lo.only_matching = {tmp_->path()};
  lo.iptables = false;
  testing::LeakCheck leaks(lo);
  const std::string id = Import("a", "a\n", "example.com/app:1");
  ASSERT_TRUE(svc_->PrepareRootfs("ctr-live", id).ok());
  ASSERT_TRUE(svc_->PrepareRootfs("ctr-orphan", id).ok());
  // What a crash leaves: a half-unpacked layer, a half-written record, a
  // partial download nobody resumes.
  const Paths p = svc_->paths();  // a copy: Reopen() replaces the service
  ASSERT_TRUE(sys::MkdirAll(p.layers() + "/.tmp-0123456789ab-x/fs", 0700).ok());
  ASSERT_TRUE(sys::WriteFileAtomic(p.records() + "/" + DigestHex(id) + ".json.tmp-1", "{").ok());
  ASSERT_TRUE(sys::WriteFileAtomic(p.ingest() + "/" + std::string(64, 'e'), "partial").ok());
  Reopen();
  ASSERT_TRUE(svc_->SweepOrphans({"ctr-live"}).ok());
  EXPECT_EQ(sys::ListDir(p.containers()).value_or(std::vector<std::string>{}), std::vector<std::string>{"ctr-live"});
  EXPECT_EQ(Count(p.layers()), 1u);
  EXPECT_EQ(Count(p.records()), 1u);
  EXPECT_EQ(Count(p.ingest()), 0u);
  ASSERT_TRUE(svc_->RemoveRootfs("ctr-live").ok());
  ASSERT_TRUE(svc_->Remove(id).ok());
  for (const std::string& d : {p.layers(), p.blobs(), p.records(), p.ingest(), p.containers()}) {
    EXPECT_EQ(Count(d), 0u) << d;
  }
  leaks.ExpectNoLeaks();
}

}  // namespace
}  // namespace cricket::image
