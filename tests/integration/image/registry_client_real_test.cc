// The registry client against Debian's docker-registry in its three fixture
// variants (plain, TLS + htpasswd, token auth), with images pushed by skopeo:
// every manifest type, a platform index, every layer compression.
#include <string>

#include "gtest/gtest.h"
#include "image/digest.h"
#include "image/manifest.h"
#include "image/registry/client.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/registry_fixture.h"
#include "tests/integration/image/fake_registry_helpers.h"

namespace cricket::testing {
namespace {

using image::registry::Client;
using image::registry::Credentials;
using image::registry::NewClient;

#define REQUIRE_REGISTRY_PARTNERS()                                   \
  CRICKET_REQUIRE_PROGRAM(registry_bin, "docker-registry");           \
  CRICKET_REQUIRE_PROGRAM(skopeo_bin, "skopeo");                      \
  CRICKET_REQUIRE_PROGRAM(openssl_bin, "openssl");                    \
  CRICKET_REQUIRE_PROGRAM(htpasswd_bin, "htpasswd")

class RealRegistryTest : public ::testing::TestWithParam<RegistryMode> {
 protected:
  void SetUp() override {
    REQUIRE_REGISTRY_PARTNERS();
    auto f = RegistryFixture::Start(GetParam());
    ASSERT_TRUE(f.ok()) << f.status();
    registry_ = std::move(*f);
    auto d = sys::TempDir::Make("cricket-layout-");
    ASSERT_TRUE(d.ok());
    layout_ = std::make_unique<sys::TempDir>(std::move(*d));
    config_ = FastConfig();
    if (GetParam() == RegistryMode::kTlsBasic) {
      config_.registries.hosts[registry_->HostPort()].ca_file = registry_->ca_file();
    }
    if (GetParam() != RegistryMode::kPlain) {
      creds_.username = RegistryFixture::kUser;
      creds_.password = RegistryFixture::kPassword;
    }
  }
  image::Reference RefOf(const std::string& repo, const std::string& tag) {
    return Ref(registry_->HostPort(), repo, tag);
  }
  std::unique_ptr<Client> MakeClient(const std::string& repo, const Credentials& creds) {
    auto c = NewClient(config_, RefOf(repo, "x"), creds);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(*c) : nullptr;
  }
  // Fetches config and every layer of an image manifest; checks digests.
  void PullImage(Client& c, const std::string& repo, const image::registry::Manifest& m) {
    auto im = image::ParseImageManifest(m.body);
    ASSERT_TRUE(im.ok()) << im.status();
    std::vector<image::Descriptor> blobs = im->layers;
    blobs.push_back(im->config);
    for (const image::Descriptor& d : blobs) {
      image::DigestVerifier v(d.digest, d.size);
      absl::Status st = c.FetchBlob(RefOf(repo, "x"), d.digest, d.size, 0,
                                    [&](const char* p, size_t n) { return v.Update(p, n); });
      ASSERT_TRUE(st.ok()) << st;
      ASSERT_TRUE(v.Verify().ok());
    }
  }

  std::unique_ptr<RegistryFixture> registry_;
  std::unique_ptr<sys::TempDir> layout_;
  conf::Config config_;
  Credentials creds_;
};

TEST_P(RealRegistryTest, PullsEveryManifestTypeAndCompression) {
  auto busybox = BusyboxImage();
  ASSERT_TRUE(busybox.ok()) << busybox.status();
  struct Case { const char* tag; Compression c; bool docker; const char* type; } cases[] = {
      {"oci-gzip", Compression::kGzip, false, image::kMediaOciManifest},
      {"oci-zstd", Compression::kZstd, false, image::kMediaOciManifest},
      {"oci-none", Compression::kNone, false, image::kMediaOciManifest},
      {"docker", Compression::kGzip, true, image::kMediaDockerManifest},
  };
  for (const Case& k : cases) {
    TestImageSpec spec = *busybox;
    spec.compression = k.c;
    auto digest = WriteImage(layout_->path(), spec, k.tag);
    ASSERT_TRUE(digest.ok()) << digest.status();
    absl::Status pushed =
        PushLayout(layout_->path(), k.tag, *registry_, "test/busybox", false, k.docker);
    ASSERT_TRUE(pushed.ok()) << pushed;
    auto client = MakeClient("test/busybox", creds_);
    ASSERT_TRUE(client);
    auto m = client->GetManifest(RefOf("test/busybox", k.tag), k.tag);
    ASSERT_TRUE(m.ok()) << k.tag << ": " << m.status();
    EXPECT_EQ(m->media_type, k.type) << k.tag;
    // Digests are preserved, except where skopeo converted to Docker types.
    if (!k.docker) {
      EXPECT_EQ(m->digest, *digest) << k.tag;
    }
    PullImage(*client, "test/busybox", *m);
    // By digest as well: verified against the pinned digest.
    auto pinned = client->GetManifest(RefOf("test/busybox", m->digest), m->digest);
    ASSERT_TRUE(pinned.ok()) << pinned.status();
  }
}

TEST_P(RealRegistryTest, MultiArchIndexSelectsThePlatform) {
  auto amd64 = BusyboxImage();
  ASSERT_TRUE(amd64.ok());
  TestImageSpec arm64 = *amd64;
  arm64.architecture = "arm64";
  arm64.layers = {{{LayerEntry::kFile, "fake-arm64", "not really arm64\n", "", 0644}}};
  auto digest = WriteIndex(layout_->path(), {*amd64, arm64}, "multi");
  ASSERT_TRUE(digest.ok()) << digest.status();
  ASSERT_TRUE(PushLayout(layout_->path(), "multi", *registry_, "test/multi", true).ok());
  auto client = MakeClient("test/multi", creds_);
  ASSERT_TRUE(client);
  auto m = client->GetManifest(RefOf("test/multi", "multi"), "multi");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->media_type, image::kMediaOciIndex);
  auto index = image::ParseIndex(m->body);
  ASSERT_TRUE(index.ok());
  for (const char* arch : {"amd64", "arm64"}) {
    auto d = image::SelectPlatform(*index, {"linux", arch, ""});
    ASSERT_TRUE(d.ok()) << d.status();
    auto child = client->GetManifest(RefOf("test/multi", d->digest), d->digest);
    ASSERT_TRUE(child.ok()) << child.status();
    PullImage(*client, "test/multi", *child);
  }
}

TEST_P(RealRegistryTest, WrongOrMissingCredentialsFailClearly) {
  if (GetParam() == RegistryMode::kPlain) GTEST_SKIP() << "no auth on the plain registry";
  auto busybox = BusyboxImage();
  ASSERT_TRUE(busybox.ok());
  ASSERT_TRUE(WriteImage(layout_->path(), *busybox, "v1").ok());
  ASSERT_TRUE(PushLayout(layout_->path(), "v1", *registry_, "test/private", false).ok());
  Credentials wrong = creds_;
  wrong.password = "not-the-password";
  auto m = MakeClient("test/private", wrong)->GetManifest(RefOf("test/private", "v1"), "v1");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kUnauthenticated) << m.status();
  EXPECT_NE(std::string(m.status().message()).find(registry_->HostPort()), std::string::npos)
      << m.status();
  m = MakeClient("test/private", {})->GetManifest(RefOf("test/private", "v1"), "v1");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kUnauthenticated) << m.status();
}

TEST_P(RealRegistryTest, IdentityTokenIsARefreshGrant) {
  if (GetParam() != RegistryMode::kToken) GTEST_SKIP() << "token registry only";
  auto busybox = BusyboxImage();
  ASSERT_TRUE(busybox.ok());
  ASSERT_TRUE(WriteImage(layout_->path(), *busybox, "v1").ok());
  ASSERT_TRUE(PushLayout(layout_->path(), "v1", *registry_, "test/oauth", false).ok());
  Credentials creds;
  creds.identity_token = "cricket-refresh-token";
  auto m = MakeClient("test/oauth", creds)->GetManifest(RefOf("test/oauth", "v1"), "v1");
  EXPECT_TRUE(m.ok()) << m.status();
}

TEST_P(RealRegistryTest, MissingTagIsNotFound) {
  auto m = MakeClient("test/none", creds_)->GetManifest(RefOf("test/none", "nope"), "nope");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound) << m.status();
}

INSTANTIATE_TEST_SUITE_P(Variants, RealRegistryTest,
                         ::testing::Values(RegistryMode::kPlain, RegistryMode::kTlsBasic,
                                           RegistryMode::kToken),
                         [](const auto& info) { return RegistryModeName(info.param); });

}  // namespace
}  // namespace cricket::testing
