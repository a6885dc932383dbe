// Images as registries hold them, in every layer media type the peers pull
// (Docker and OCI; plain, gzip, zstd; nondistributable) and with configs as
// old and new builders write them (nulls, unknown fields, empty layers in the
// history). containerd and CRI-O pull each; so must ImageService.
#include <nlohmann/json.hpp>

#include "gtest/gtest.h"
#include "image/digest.h"
#include "image/image_service.h"
#include "image/manifest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"
#include "tests/unit/image/fake_image_helpers.h"

namespace cricket::image {
namespace {

using testing::Dir;
using testing::File;
using testing::TarCompression;

struct Variant {
  std::string name;
  std::string layer_media_type;
  TarCompression compression;
  nlohmann::json config;  // "config" section of the image config
};

class PullVariantsTest : public ::testing::TestWithParam<Variant> {
 protected:
  void SetUp() override {
    auto t = sys::TempDir::Make("pullvar-", "/var/tmp");
    ASSERT_TRUE(t.ok());
    tmp_ = std::make_unique<sys::TempDir>(std::move(*t));
    config_.root_dir = tmp_->path();
    auto s = test::OpenWithFake(config_, &store_);
    ASSERT_TRUE(s.ok()) << s.status();
    svc_ = std::move(*s);
  }

  // One layer holding bin/tool, in the variant's media type and compression.
  void Serve(const Variant& v) {
    std::vector<testing::TarEntry> entries = {Dir("bin"), File("bin/tool", "tool", 0755)};
    std::string plain = *testing::MakeTar(entries);
    std::string blob = *testing::MakeTar(entries, v.compression);
    nlohmann::json cfg = {{"architecture", "amd64"}, {"os", "linux"}, {"config", v.config},
                          {"container_config", {{"Cmd", nullptr}}}, {"docker_version", "1.13"},
                          {"rootfs", {{"type", "layers"}, {"diff_ids", {Sha256String(plain)}}}},
                          {"history",
                           {{{"created_by", "ENV A=b"}, {"empty_layer", true}},
                            {{"created", "2020-01-01T00:00:00Z"}, {"created_by", "COPY tool"}}}}};
    const std::string cfg_body = cfg.dump();
    nlohmann::json m = {
        {"schemaVersion", 2},
        {"mediaType", kMediaDockerManifest},
        {"config",
         {{"mediaType", kMediaDockerConfig}, {"digest", Sha256String(cfg_body)}, {"size", cfg_body.size()}}},
        {"layers",
         {{{"mediaType", v.layer_media_type}, {"digest", Sha256String(blob)}, {"size", blob.size()},
           {"urls", {"https://example.invalid/never-fetched-while-the-registry-has-it"}}}}}};
    const std::string body = m.dump();
    store_.manifests["1"] = {kMediaDockerManifest, body};
    store_.blobs[Sha256String(cfg_body)] = cfg_body;
    store_.blobs[Sha256String(blob)] = blob;
    config_digest_ = Sha256String(cfg_body);
  }

  std::unique_ptr<sys::TempDir> tmp_;
  conf::Config config_;
  test::FakeClient::Store store_;
  std::unique_ptr<ImageService> svc_;
  std::string config_digest_;
};

TEST_P(PullVariantsTest, PullsWithTheLayerWhole) {
  Serve(GetParam());
  auto id = svc_->Pull("r.test/variant:1");
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_EQ(*id, config_digest_);
  auto img = svc_->Status(*id);
  ASSERT_TRUE(img.ok()) << img.status();
  ASSERT_EQ(img->record.chain_ids.size(), 1u);
  const std::string fs = svc_->paths().layers() + "/" + img->record.chain_ids[0].substr(7) + "/fs";
  EXPECT_EQ(sys::ReadFile(fs + "/bin/tool").value_or("<missing>"), "tool");
}

const nlohmann::json kPlainConfig = {{"Cmd", {"tool"}}, {"Env", {"PATH=/bin"}}};
// Docker's nulls for what a Dockerfile left unset, and fields we do not use.
const nlohmann::json kNullsConfig = {
    {"Cmd", nullptr},        {"Entrypoint", nullptr}, {"Env", nullptr},
    {"Volumes", nullptr},    {"ExposedPorts", nullptr}, {"Labels", nullptr},
    {"OnBuild", nullptr},    {"Healthcheck", {{"Test", {"NONE"}}}},
    {"ArgsEscaped", true},   {"Shell", {"/bin/sh", "-c"}}, {"Image", ""}};

INSTANTIATE_TEST_SUITE_P(
    MediaTypes, PullVariantsTest,
    ::testing::Values(
        Variant{"DockerGzip", "application/vnd.docker.image.rootfs.diff.tar.gzip",
                TarCompression::kGzip, kPlainConfig},
        Variant{"DockerPlain", "application/vnd.docker.image.rootfs.diff.tar",
                TarCompression::kNone, kPlainConfig},
        Variant{"DockerZstd", "application/vnd.docker.image.rootfs.diff.tar.zstd",
                TarCompression::kZstd, kPlainConfig},
        Variant{"DockerForeignGzip", "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
                TarCompression::kGzip, kPlainConfig},
        Variant{"OciPlain", "application/vnd.oci.image.layer.v1.tar", TarCompression::kNone,
                kPlainConfig},
        Variant{"OciGzip", "application/vnd.oci.image.layer.v1.tar+gzip", TarCompression::kGzip,
                kPlainConfig},
        Variant{"OciZstd", "application/vnd.oci.image.layer.v1.tar+zstd", TarCompression::kZstd,
                kPlainConfig},
        Variant{"OciNondistributable", "application/vnd.oci.image.layer.nondistributable.v1.tar",
                TarCompression::kNone, kPlainConfig},
        Variant{"OciNondistributableGzip",
                "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
                TarCompression::kGzip, kPlainConfig},
        Variant{"OciNondistributableZstd",
                "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
                TarCompression::kZstd, kPlainConfig},
        Variant{"ConfigOfNulls", "application/vnd.docker.image.rootfs.diff.tar.gzip",
                TarCompression::kGzip, kNullsConfig},
        Variant{"NoConfigSection", "application/vnd.docker.image.rootfs.diff.tar.gzip",
                TarCompression::kGzip, nullptr}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace cricket::image
