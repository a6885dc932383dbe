// Pinned images (issue 19): the pattern matcher, and ImageService reporting
// pinned from the live patterns while GC and explicit removal behave.
#include "image/pinned.h"

#include "gtest/gtest.h"
#include "image/image_service.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/unit/image/fake_image_helpers.h"

namespace cricket::image {
namespace {

TEST(PinnedPatternTest, ExactPrefixAndKeyword) {
  const std::string pause = "registry.k8s.io/pause:3.9";
  EXPECT_TRUE(MatchesPinnedPattern("registry.k8s.io/pause:3.9", pause));
  EXPECT_FALSE(MatchesPinnedPattern("registry.k8s.io/pause:3.8", pause));
  EXPECT_FALSE(MatchesPinnedPattern("registry.k8s.io/pause", pause));  // exact means the tag too
  EXPECT_TRUE(MatchesPinnedPattern("registry.k8s.io/*", pause));
  EXPECT_TRUE(MatchesPinnedPattern("registry.k8s.io/pause*", pause));
  EXPECT_FALSE(MatchesPinnedPattern("quay.io/*", pause));
  EXPECT_TRUE(MatchesPinnedPattern("*pause*", pause));
  EXPECT_FALSE(MatchesPinnedPattern("*coredns*", pause));
  EXPECT_FALSE(MatchesPinnedPattern("*3.9", pause));  // conf refuses it; never a match
}

TEST(PinnedPatternTest, ExactNamesAreNormalisedAsReferences) {
  EXPECT_TRUE(MatchesPinnedPattern("busybox", "docker.io/library/busybox:latest"));
  EXPECT_TRUE(MatchesPinnedPattern("busybox:1.36", "docker.io/library/busybox:1.36"));
  EXPECT_FALSE(MatchesPinnedPattern("busybox:1.36", "docker.io/library/busybox:latest"));
  // A prefix is taken as written: the operator names the normalised form.
  EXPECT_FALSE(MatchesPinnedPattern("busybox*", "docker.io/library/busybox:latest"));
}

TEST(PinnedPatternTest, RecordMatchesByTagDigestOrId) {
  ImageRecord r;
  r.id = "sha256:" + std::string(64, 'a');
  r.repo_tags = {"r.test/app:1"};
  r.repo_digests = {"r.test/app@sha256:" + std::string(64, 'b')};
  EXPECT_FALSE(IsPinned({}, r));
  EXPECT_FALSE(IsPinned({"r.test/other:1", "quay.io/*"}, r));
  EXPECT_TRUE(IsPinned({"r.test/app:1"}, r));
  EXPECT_TRUE(IsPinned({r.repo_digests[0]}, r));
  EXPECT_TRUE(IsPinned({r.id}, r));
  EXPECT_TRUE(IsPinned({"r.test/*"}, r));
  r.pinned = true;  // a record written pinned stays pinned
  EXPECT_TRUE(IsPinned({}, r));
}

class PinnedServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = sys::TempDir::Make("imgpin-", "/var/tmp");
    ASSERT_TRUE(t.ok());
    tmp_ = std::make_unique<sys::TempDir>(std::move(*t));
    config_.root_dir = tmp_->path();
    config_.image.pinned_images = {"r.test/base:*"};
    base_ = test::BuildImage({{testing::Dir("bin"), testing::File("bin/sh", "shell", 0755)}}, "base");
    app_ = test::BuildImage({{testing::Dir("bin"), testing::File("bin/sh", "shell", 0755)},
                             {testing::Dir("app"), testing::File("app/run", "app")}},
                            "app");
    auto s = test::OpenWithFake(config_, &store_);
    ASSERT_TRUE(s.ok()) << s.status();
    svc_ = std::move(*s);
  }
  std::unique_ptr<sys::TempDir> tmp_;
  conf::Config config_;
  test::FakeClient::Store store_;
  test::FakeImage base_, app_;
  std::unique_ptr<ImageService> svc_;
};

TEST_F(PinnedServiceTest, StatusAndListReportLivePatterns) {
  store_.Add("base", base_);
  store_.Add("app", app_);
  ASSERT_TRUE(svc_->Pull("r.test/base:base").ok());
  ASSERT_TRUE(svc_->Pull("r.test/app:app").ok());
  EXPECT_TRUE(svc_->Status("r.test/base:base")->record.pinned);
  EXPECT_FALSE(svc_->Status("r.test/app:app")->record.pinned);
  svc_->SetPinnedImages({"r.test/app:app"});  // a reload
  EXPECT_FALSE(svc_->Status("r.test/base:base")->record.pinned);
  auto list = svc_->List();
  ASSERT_TRUE(list.ok()) << list.status();
  for (const Image& img : *list) {
    EXPECT_EQ(img.record.pinned, img.record.id == app_.config_digest) << img.record.id;
  }
  // Not written into the record: a later reload that drops the pattern unpins.
  svc_->SetPinnedImages({});
  EXPECT_FALSE(svc_->Status("r.test/app:app")->record.pinned);
}

TEST_F(PinnedServiceTest, GcKeepsPinnedContentAndExplicitRemoveWorks) {
  store_.Add("base", base_);
  store_.Add("app", app_);
  ASSERT_TRUE(svc_->Pull("r.test/base:base").ok());
  ASSERT_TRUE(svc_->Pull("r.test/app:app").ok());
  // Removing another image runs GC; the pinned image's layer (shared) and
  // blobs stay, and it still runs.
  ASSERT_TRUE(svc_->Remove("r.test/app:app").ok());
  auto base = svc_->Status("r.test/base:base");
  ASSERT_TRUE(base.ok()) << base.status();
  EXPECT_TRUE(base->record.pinned);
  for (const std::string& d : base->record.layer_digests) {
    EXPECT_TRUE(sys::PathExists(svc_->paths().blobs() + "/" + d.substr(7))) << d;
  }
  EXPECT_TRUE(svc_->PrepareRootfs("c1", base->record.id).ok());
  ASSERT_TRUE(svc_->RemoveRootfs("c1").ok());
  // CRI-O lets RemoveImage take a pinned image when asked by name.
  ASSERT_TRUE(svc_->Remove("r.test/base:base").ok());
  EXPECT_EQ(svc_->Status("r.test/base:base").status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(sys::ListDir(svc_->paths().layers())->empty());
}

}  // namespace
}  // namespace cricket::image
