// ImageService against a fake registry client: pull, index, re-pull,
// shared layers, names, removal with GC, in-use refusal, bad blobs and
// hostile layers (no record, no layer left), recovery, import.
#include "image/image_service.h"

#include <sys/stat.h>

#include <atomic>
#include <thread>

#include <nlohmann/json.hpp>

#include "gtest/gtest.h"
#include "image/digest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/unit/image/fake_image_helpers.h"

namespace cricket::image {
namespace {

using testing::Dir;
using testing::File;
using testing::Symlink;

class ImageServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = sys::TempDir::Make("imgsvc-", "/var/tmp");
    ASSERT_TRUE(t.ok());
    tmp_ = std::make_unique<sys::TempDir>(std::move(*t));
    config_.root_dir = tmp_->path();
    base_ = test::BuildImage({{Dir("bin"), File("bin/sh", "shell", 0755)}}, "base");
    app_ = test::BuildImage({{Dir("bin"), File("bin/sh", "shell", 0755)},
                             {Dir("app"), File("app/run", "app"), Symlink("app/sh", "/bin/sh")}},
                            "app");
    Open();
  }
  void Open() {
    svc_.reset();
    auto s = test::OpenWithFake(config_, &store_);
    ASSERT_TRUE(s.ok()) << s.status();
    svc_ = std::move(*s);
  }
  std::vector<std::string> Layers() {
    auto names = sys::ListDir(svc_->paths().layers());
    return names.ok() ? *names : std::vector<std::string>{};
  }

  std::unique_ptr<sys::TempDir> tmp_;
  conf::Config config_;
  test::FakeClient::Store store_;
  test::FakeImage base_, app_;
  std::unique_ptr<ImageService> svc_;
};

TEST_F(ImageServiceTest, PullThenStatusByEveryName) {
  store_.Add("1", app_);
  auto id = svc_->Pull("127.0.0.1:5000/app:1");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, app_.config_digest);
  for (std::string name : {*id, id->substr(7), id->substr(7, 12), std::string("127.0.0.1:5000/app:1"),
                           "127.0.0.1:5000/app@" + app_.manifest_digest}) {
    auto img = svc_->Status(name);
    ASSERT_TRUE(img.ok()) << name << ": " << img.status();
    EXPECT_EQ(img->record.id, *id);
    EXPECT_EQ(img->record.repo_tags, std::vector<std::string>{"127.0.0.1:5000/app:1"});
    EXPECT_EQ(img->config.cmd, std::vector<std::string>{"app"});
    EXPECT_EQ(img->config.user, "1000");
  }
  EXPECT_EQ(svc_->Status("127.0.0.1:5000/app:2").status().code(), absl::StatusCode::kNotFound);
  auto rec = svc_->Status(*id)->record;
  ASSERT_EQ(rec.chain_ids.size(), 2u);
  std::string top = svc_->paths().layers() + "/" + rec.chain_ids[1].substr(7) + "/fs";
  EXPECT_EQ(*sys::ReadFile(top + "/app/run"), "app");
  EXPECT_FALSE(sys::PathExists(top + "/bin"));  // each layer dir holds its own layer only
  EXPECT_GT(rec.size, 0);
  auto list = svc_->List();
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
  auto fs = svc_->FsInfo();
  ASSERT_TRUE(fs.ok());
  EXPECT_GT(fs->images.bytes, 0);
  EXPECT_GT(fs->images.inodes, 0);
}

TEST_F(ImageServiceTest, PullThroughIndexPicksPlatform) {
  store_.Add("amd", app_);
  store_.Add("arm", base_);
  std::string index = test::BuildIndex(app_, base_);
  store_.manifests["multi"] = {kMediaOciIndex, index};
  auto id = svc_->Pull("r.test/multi:multi");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, app_.config_digest);
  // The repo digest names the index, as `docker pull r@sha256:<index>` would.
  EXPECT_EQ(svc_->Status(*id)->record.repo_digests,
            std::vector<std::string>{"r.test/multi@" + Sha256String(index)});
}

// An index whose entry is another index, `levels` deep, over app_ and base_.
std::string NestIndexes(test::FakeClient::Store& store, const std::string& inner, int levels) {
  std::string body = inner;
  for (int i = 0; i < levels; ++i) {
    std::string digest = Sha256String(body);
    store.manifests[digest] = {kMediaOciIndex, body};
    nlohmann::json entry = {{"mediaType", kMediaOciIndex},
                            {"digest", digest},
                            {"size", body.size()},
                            {"platform", {{"os", "linux"}, {"architecture", "amd64"}}}};
    body = nlohmann::json{{"schemaVersion", 2}, {"mediaType", kMediaOciIndex},
                          {"manifests", nlohmann::json::array({entry})}}
               .dump();
  }
  return body;
}

TEST_F(ImageServiceTest, NestedIndexesAreFollowedToADepthCap) {
  store_.Add("amd", app_);
  store_.Add("arm", base_);
  const std::string inner = test::BuildIndex(app_, base_);
  store_.manifests["nested"] = {kMediaOciIndex, NestIndexes(store_, inner, 2)};
  store_.manifests["deep"] = {kMediaOciIndex, NestIndexes(store_, inner, 6)};
  auto id = svc_->Pull("r.test/multi:nested");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, app_.config_digest);
  auto deep = svc_->Pull("r.test/multi:deep");
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(std::string(deep.status().message()).find("indexes nested more than 4 deep"),
            std::string::npos)
      << deep.status();
}

TEST_F(ImageServiceTest, SecondPullOnlyFetchesTheManifest) {
  store_.Add("1", app_);
  ASSERT_TRUE(svc_->Pull("r.test/app:1").ok());
  int blobs = store_.blob_gets, manifests = store_.manifest_gets;
  store_.Add("2", app_);
  ASSERT_TRUE(svc_->Pull("r.test/app:2").ok());
  EXPECT_EQ(store_.blob_gets, blobs);
  EXPECT_EQ(store_.manifest_gets, manifests + 1);
  auto rec = svc_->Status("r.test/app:1")->record;
  EXPECT_EQ(rec.repo_tags, (std::vector<std::string>{"r.test/app:1", "r.test/app:2"}));
}

TEST_F(ImageServiceTest, ConcurrentPullsShareDownloads) {
  store_.Add("1", app_);
  std::vector<std::thread> threads;
  std::vector<absl::StatusOr<std::string>> ids(4, absl::UnknownError("not run"));
  std::atomic<int64_t> progressed{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      ids[i] = svc_->Pull("r.test/app:1", {},
                          [&](const PullProgress& p) { progressed = std::max<int64_t>(progressed, p.done); });
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& id : ids) {
    ASSERT_TRUE(id.ok()) << id.status();
    EXPECT_EQ(*id, app_.config_digest);
  }
  EXPECT_EQ(store_.blob_gets, 3);  // config + two layers, once each
  EXPECT_EQ(Layers().size(), 2u);
  EXPECT_GT(progressed, 0);
  EXPECT_EQ(svc_->List()->size(), 1u);
}

TEST_F(ImageServiceTest, SharedLayerUnpackedOnceAndKeptByGc) {
  store_.Add("base", base_);
  store_.Add("app", app_);
  ASSERT_TRUE(svc_->Pull("r.test/base:base").ok());
  ASSERT_TRUE(svc_->Pull("r.test/app:app").ok());
  EXPECT_EQ(Layers().size(), 2u);  // base's layer is app's bottom layer
  ASSERT_TRUE(svc_->Remove("r.test/app:app").ok());
  EXPECT_EQ(Layers().size(), 1u);
  EXPECT_TRUE(svc_->Status("r.test/base:base").ok());
  ASSERT_TRUE(svc_->Remove(base_.config_digest).ok());
  EXPECT_TRUE(Layers().empty());
  EXPECT_TRUE(sys::ListDir(svc_->paths().blobs())->empty());
  EXPECT_EQ(svc_->Remove("r.test/base:base").code(), absl::StatusCode::kNotFound);
}

TEST_F(ImageServiceTest, RemoveTagKeepsImageWithOtherTags) {
  store_.Add("1", app_);
  store_.Add("2", app_);
  ASSERT_TRUE(svc_->Pull("r.test/app:1").ok());
  ASSERT_TRUE(svc_->Pull("r.test/app:2").ok());
  InUse in_use = {{app_.config_digest, "web-1"}};
  ASSERT_TRUE(svc_->Remove("r.test/app:1", in_use).ok());  // only the tag goes
  auto rec = svc_->Status(app_.config_digest)->record;
  EXPECT_EQ(rec.repo_tags, std::vector<std::string>{"r.test/app:2"});
  absl::Status st = svc_->Remove("r.test/app:2", in_use);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(st.message()).find("web-1"), std::string::npos) << st;
  EXPECT_TRUE(svc_->Status("r.test/app:2").ok());
  ASSERT_TRUE(svc_->Remove("r.test/app:2").ok());
  EXPECT_TRUE(svc_->List()->empty());
}

TEST_F(ImageServiceTest, TagMovesToTheNewImage) {
  store_.Add("latest", base_);
  ASSERT_TRUE(svc_->Pull("r.test/x").ok());
  store_.Add("latest", app_);
  ASSERT_TRUE(svc_->Pull("r.test/x").ok());
  EXPECT_EQ(svc_->Status("r.test/x")->record.id, app_.config_digest);
  EXPECT_TRUE(svc_->Status(base_.config_digest)->record.repo_tags.empty());
}

TEST_F(ImageServiceTest, CorruptBlobFailsCleanlyThenPullWorks) {
  store_.Add("1", app_);
  std::string layer_digest = Sha256String(app_.layers[1]);
  store_.blobs[layer_digest] = app_.layers[0];  // wrong bytes under the digest
  auto id = svc_->Pull("r.test/app:1");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), absl::StatusCode::kDataLoss) << id.status();
  EXPECT_NE(std::string(id.status().message()).find(layer_digest), std::string::npos);
  EXPECT_TRUE(svc_->List()->empty());
  store_.blobs[layer_digest] = app_.layers[1];
  ASSERT_TRUE(svc_->Pull("r.test/app:1").ok());
}

TEST_F(ImageServiceTest, LayerNotMatchingItsDiffIdIsRefused) {
  // A config that claims another layer's diff_id must not get its chain ID.
  test::FakeImage liar = test::BuildImage({{File("planted", "x")}});
  nlohmann::json cfg = nlohmann::json::parse(liar.config);
  cfg["rootfs"]["diff_ids"] = {base_.diff_ids[0]};
  liar.config = cfg.dump();
  liar.config_digest = Sha256String(liar.config);
  nlohmann::json m = nlohmann::json::parse(liar.manifest);
  m["config"]["digest"] = liar.config_digest;
  m["config"]["size"] = liar.config.size();
  liar.manifest = m.dump();
  liar.manifest_digest = Sha256String(liar.manifest);
  store_.Add("liar", liar);
  auto id = svc_->Pull("r.test/liar:liar");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), absl::StatusCode::kDataLoss) << id.status();
  EXPECT_NE(std::string(id.status().message()).find(base_.diff_ids[0]), std::string::npos);
  EXPECT_TRUE(Layers().empty());
}

TEST_F(ImageServiceTest, HostileLayerFailsWithEntryNamedAndLeavesNoLayer) {
  auto evil = test::BuildImage({{File("../../escape", "x")}});
  store_.Add("evil", evil);
  auto id = svc_->Pull("r.test/evil:evil");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(id.status().message()).find("\"../../escape\""), std::string::npos)
      << id.status();
  EXPECT_TRUE(Layers().empty());
  EXPECT_TRUE(svc_->List()->empty());
  EXPECT_FALSE(sys::PathExists(tmp_->path() + "/escape"));
}

TEST_F(ImageServiceTest, BadReferenceAndMissingManifest) {
  EXPECT_EQ(svc_->Pull("r.test/Upper").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(svc_->Pull("r.test/none:1").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ImageServiceTest, RecoveryDropsHalfDoneWork) {
  store_.Add("1", app_);
  ASSERT_TRUE(svc_->Pull("r.test/app:1").ok());
  // What a kill -9 mid-unpack leaves: a temp layer dir.
  ASSERT_TRUE(sys::MkdirAll(svc_->paths().layers() + "/.tmp-abc-123/fs/x").ok());
  Open();
  EXPECT_FALSE(sys::PathExists(svc_->paths().layers() + "/.tmp-abc-123"));
  EXPECT_TRUE(svc_->Status("r.test/app:1").ok());
  // A record whose layer vanished is dropped rather than served half.
  auto rec = svc_->Status("r.test/app:1")->record;
  ASSERT_TRUE(sys::RemoveAll(svc_->paths().layers() + "/" + rec.chain_ids[1].substr(7)).ok());
  Open();
  EXPECT_EQ(svc_->Status("r.test/app:1").status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(svc_->Pull("r.test/app:1").ok());
}

TEST_F(ImageServiceTest, ImportsDockerArchiveAndOciLayout) {
  // docker save layout: manifest.json + config + uncompressed layer tars.
  std::string d = tmp_->Sub("docker");
  ASSERT_TRUE(sys::MkdirAll(d + "/l0").ok());
  auto plain = testing::MakeTar({File("hello", "world")});
  ASSERT_TRUE(sys::WriteFileAtomic(d + "/l0/layer.tar", *plain).ok());
  std::string cfg = R"({"os":"linux","architecture":"amd64","config":{"Cmd":["hello"]},"rootfs":{"type":"layers","diff_ids":[")" +
                    Sha256String(*plain) + "\"]}}";
  ASSERT_TRUE(sys::WriteFileAtomic(d + "/cfg.json", cfg).ok());
  ASSERT_TRUE(sys::WriteFileAtomic(d + "/manifest.json",
                                   R"([{"Config":"cfg.json","RepoTags":["hello:1"],"Layers":["l0/layer.tar"]}])")
                  .ok());
  auto id = svc_->Import(d);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, Sha256String(cfg));
  EXPECT_EQ(svc_->Status("hello:1")->record.id, *id);
  // OCI layout of app_ (as `skopeo copy oci:` writes it), as a dir.
  std::string o = tmp_->Sub("oci");
  ASSERT_TRUE(sys::MkdirAll(o + "/blobs/sha256").ok());
  auto put = [&](const std::string& b) {
    ASSERT_TRUE(sys::WriteFileAtomic(o + "/blobs/sha256/" + Sha256String(b).substr(7), b).ok());
  };
  put(app_.manifest);
  put(app_.config);
  for (const std::string& l : app_.layers) put(l);
  ASSERT_TRUE(sys::WriteFileAtomic(
                  o + "/index.json",
                  R"({"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":")" +
                      app_.manifest_digest + R"(","size":)" + std::to_string(app_.manifest.size()) +
                      R"(,"annotations":{"org.opencontainers.image.ref.name":"r.test/app:oci"}}]})")
                  .ok());
  id = svc_->Import(o);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, app_.config_digest);
  EXPECT_TRUE(svc_->Status("r.test/app:oci").ok());
  EXPECT_EQ(svc_->Import(tmp_->Sub("nothing")).status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace cricket::image
