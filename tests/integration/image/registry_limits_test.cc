// Bounded pulls: a blob trickled just fast enough to beat the stall timer hits
// its size-derived deadline; through ImageService::Pull from Debian's
// docker-registry, a layer with more entries than the cap and a manifest with
// more layers than the cap are refused, naming registry, blob and reason, and
// leave no layer, temp dir or record.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "image/digest.h"
#include "image/image_service.h"
#include "image/registry/client.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/registry_fixture.h"
#include "tests/integration/image/fake_registry_helpers.h"

namespace cricket::testing {
namespace {

std::string Msg(const absl::Status& st) { return std::string(st.message()); }

TEST(RegistryLimits, TrickledBlobHitsItsSizeDerivedDeadline) {
  auto reg = FakeRegistry::Start();
  ASSERT_TRUE(reg.ok());
  std::string blob(100, 'b');
  std::string digest = image::Sha256String(blob);
  // 5 bytes/s: above the stall timer's 1 byte/s, so only the deadline ends it
  // (the whole body would take 20 s).
  (*reg)->Route("/v2/app/blobs/" + digest, [blob](const HttpRequestIn&, int) {
    HttpReply r;
    r.body = blob;
    r.trickle_ms = 200;
    return r;
  });
  conf::Config config = FastConfig();  // stall timer 1 s
  config.image.min_download_bytes_per_second = 50;  // deadline: 1 s + 100 / 50 s
  auto ref = Ref((*reg)->HostPort(), "app", "v1");
  auto client = image::registry::NewClient(config, ref, {});
  ASSERT_TRUE(client.ok());
  std::string got;
  absl::Status st = FetchAll(**client, ref, digest, blob.size(), &got);
  EXPECT_EQ(st.code(), absl::StatusCode::kDeadlineExceeded) << st;
  EXPECT_NE(Msg(st).find("registry " + (*reg)->HostPort()), std::string::npos) << st;
  EXPECT_NE(Msg(st).find("blob app@" + digest), std::string::npos) << st;
  EXPECT_NE(Msg(st).find("not complete after 3s"), std::string::npos) << st;
  EXPECT_LT(got.size(), blob.size());
  EXPECT_EQ((*reg)->Hits("/v2/app/blobs/" + digest), 1);  // a deadline is not retried
}

class PullLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    CRICKET_REQUIRE_PROGRAM(registry_bin, "docker-registry");
    CRICKET_REQUIRE_PROGRAM(skopeo_bin, "skopeo");
    auto reg = RegistryFixture::Start(RegistryMode::kPlain);
    ASSERT_TRUE(reg.ok()) << reg.status();
    reg_ = std::move(*reg);
    auto layout = sys::TempDir::Make("cricket-layout-");
    auto root = sys::TempDir::Make("cricket-limits-root-");
    ASSERT_TRUE(layout.ok() && root.ok());
    layout_ = std::make_unique<sys::TempDir>(std::move(*layout));
    root_ = std::make_unique<sys::TempDir>(std::move(*root));
    config_ = FastConfig();
    config_.root_dir = root_->Sub("lib");
    config_.state_dir = root_->Sub("run");
  }

  // Pushes `spec` as limits:<tag> and pulls it; the pull's result.
  absl::StatusOr<std::string> PushAndPull(const TestImageSpec& spec, const std::string& tag) {
    RETURN_IF_ERROR(WriteImage(layout_->path(), spec, tag).status());
    RETURN_IF_ERROR(PushLayout(layout_->path(), tag, *reg_, "test/limits", false));
    ASSIGN_OR_RETURN(auto service, image::ImageService::Open(config_));
    paths_ = std::make_unique<image::Paths>(service->paths());
    return service->Pull(reg_->HostPort() + "/test/limits:" + tag);
  }

  // Nothing unpacked (no layer, no temp dir), no record, no partial download.
  void ExpectNothingHalfMade() {
    for (const std::string& dir : {paths_->layers(), paths_->records(), paths_->ingest()}) {
      auto names = sys::ListDir(dir);
      ASSERT_TRUE(names.ok()) << names.status();
      EXPECT_TRUE(names->empty()) << dir << " holds " << (names->empty() ? "" : names->front());
    }
  }

  std::unique_ptr<RegistryFixture> reg_;
  std::unique_ptr<sys::TempDir> layout_, root_;
  std::unique_ptr<image::Paths> paths_;
  conf::Config config_;
};

std::vector<LayerEntry> Files(int n, const std::string& prefix) {
  std::vector<LayerEntry> out;
  for (int i = 0; i < n; ++i) {
    LayerEntry e;
    e.path = absl::StrCat(prefix, i);
    e.content = absl::StrCat("file ", prefix, i, "\n");
    out.push_back(e);
  }
  return out;
}

TEST_F(PullLimitsTest, LayerWithMoreEntriesThanTheCapIsRefused) {
  config_.image.max_layer_entries = 10;
  TestImageSpec spec;
  spec.layers = {Files(5, "small"), Files(30, "many")};
  auto many = BuildLayer(spec.layers[1], spec.compression, false);
  ASSERT_TRUE(many.ok());
  auto id = PushAndPull(spec, "entries");
  ASSERT_FALSE(id.ok()) << "a layer of 30 entries passed a cap of 10";
  EXPECT_EQ(id.status().code(), absl::StatusCode::kResourceExhausted) << id.status();
  EXPECT_NE(Msg(id.status()).find(reg_->HostPort() + "/test/limits"), std::string::npos)
      << id.status();
  EXPECT_NE(Msg(id.status()).find("layer " + many->digest), std::string::npos) << id.status();
  EXPECT_NE(Msg(id.status()).find("more than 10 entries"), std::string::npos) << id.status();
  if (paths_) {
    // The small layer is complete and may stay; the big one left nothing.
    auto layers = sys::ListDir(paths_->layers());
    ASSERT_TRUE(layers.ok());
    EXPECT_LE(layers->size(), 1u);
    for (const std::string& n : *layers) EXPECT_NE(n.rfind(".tmp-", 0), 0u) << n;
    EXPECT_TRUE(sys::ListDir(paths_->records())->empty());
  }
}

TEST_F(PullLimitsTest, ManifestWithMoreLayersThanTheCapIsRefused) {
  config_.image.max_layers = 4;
  TestImageSpec spec;
  for (int i = 0; i < 5; ++i) spec.layers.push_back(Files(1, absl::StrCat("l", i, "-")));
  auto id = PushAndPull(spec, "layers");
  ASSERT_FALSE(id.ok()) << "5 layers passed a cap of 4";
  EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument) << id.status();
  EXPECT_NE(Msg(id.status()).find("registry " + reg_->HostPort() + ": manifest test/limits@sha256:"),
            std::string::npos)
      << id.status();
  EXPECT_NE(Msg(id.status()).find("5 layers, over the limit of 4"), std::string::npos)
      << id.status();
  ASSERT_TRUE(paths_);
  ExpectNothingHalfMade();
  // Refused before any blob was fetched.
  EXPECT_TRUE(sys::ListDir(paths_->blobs())->empty());
}

}  // namespace
}  // namespace cricket::testing
