// End to end through ImageService::Pull: images pushed by skopeo to each
// registry variant, pulled and unpacked, and the container rootfs (overlay of
// the layers) checked file by file against the source layers.
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <string>

#include "gtest/gtest.h"
#include "image/image_service.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/expected_tree.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/registry_fixture.h"
#include "tests/integration/image/fake_registry_helpers.h"

namespace cricket::testing {
namespace {

void CheckTree(const std::string& root, const TestImageSpec& spec) {
  const std::map<std::string, LayerEntry> tree = ExpectedTree(spec);
  for (const auto& [path, e] : tree) {
    std::string p = root + "/" + path;
    struct stat st {};
    ASSERT_EQ(lstat(p.c_str(), &st), 0) << "missing " << path;
    EXPECT_EQ(st.st_uid, static_cast<uid_t>(e.uid)) << path;
    EXPECT_EQ(st.st_gid, static_cast<gid_t>(e.gid)) << path;
    switch (e.type) {
      case LayerEntry::kDir:
        EXPECT_TRUE(S_ISDIR(st.st_mode)) << path;
        EXPECT_EQ(st.st_mode & 07777, static_cast<mode_t>(e.mode)) << path;
        break;
      case LayerEntry::kSymlink: {
        ASSERT_TRUE(S_ISLNK(st.st_mode)) << path;
        char buf[4096];
        ssize_t n = readlink(p.c_str(), buf, sizeof(buf));
        EXPECT_EQ(std::string(buf, n > 0 ? n : 0), e.link) << path;
        break;
      }
      case LayerEntry::kFile:
      case LayerEntry::kHardlink: {
        ASSERT_TRUE(S_ISREG(st.st_mode)) << path;
        EXPECT_EQ(st.st_mode & 07777, static_cast<mode_t>(e.mode)) << path;
        const std::string& want = InodeOwner(tree, e).content;
        auto got = sys::ReadFile(p);
        ASSERT_TRUE(got.ok()) << path;
        EXPECT_EQ(*got, want) << path;
        break;
      }
      case LayerEntry::kFifo:
        EXPECT_TRUE(S_ISFIFO(st.st_mode)) << path;
        break;
    }
  }
  // What whiteouts and the opaque dir removed is gone.
  for (const char* gone : {"data/gone", "data/opaque/old", "data/.wh.gone",
                           "data/opaque/.wh..wh..opq"}) {
    struct stat st {};
    EXPECT_NE(lstat((root + "/" + gone).c_str(), &st), 0) << gone << " should not exist";
  }
}

class PullServiceTest : public ::testing::TestWithParam<RegistryMode> {};

TEST_P(PullServiceTest, PulledImagesUnpackToTheirLayers) {
  CRICKET_REQUIRE_ROOT();
  CRICKET_REQUIRE_PROGRAM(registry_bin, "docker-registry");
  CRICKET_REQUIRE_PROGRAM(skopeo_bin, "skopeo");
  CRICKET_REQUIRE_PROGRAM(htpasswd_bin, "htpasswd");
  auto reg = RegistryFixture::Start(GetParam());
  ASSERT_TRUE(reg.ok()) << reg.status();
  auto layout = sys::TempDir::Make("cricket-layout-");
  auto root = sys::TempDir::Make("cricket-pull-root-");
  ASSERT_TRUE(layout.ok() && root.ok());
  conf::Config config = FastConfig();
  config.image.stall_timeout_seconds = 30;
  config.root_dir = root->Sub("lib");
  config.state_dir = root->Sub("run");
  if (GetParam() == RegistryMode::kTlsBasic) {
    config.registries.hosts[(*reg)->HostPort()].ca_file = (*reg)->ca_file();
  }
  image::registry::Credentials creds;
  if (GetParam() != RegistryMode::kPlain) {
    creds.username = RegistryFixture::kUser;
    creds.password = RegistryFixture::kPassword;
  }
  auto layered = LayeredImage();
  ASSERT_TRUE(layered.ok()) << layered.status();
  auto service = image::ImageService::Open(config);
  ASSERT_TRUE(service.ok()) << service.status();
  struct Case { const char* tag; Compression c; bool docker; } cases[] = {
      {"gzip", Compression::kGzip, false},
      {"zstd", Compression::kZstd, false},
      {"plain", Compression::kNone, false},
      {"docker", Compression::kGzip, true},
  };
  for (const Case& k : cases) {
    TestImageSpec spec = *layered;
    spec.compression = k.c;
    ASSERT_TRUE(WriteImage(layout->path(), spec, k.tag).ok());
    absl::Status pushed =
        PushLayout(layout->path(), k.tag, **reg, "test/layered", false, k.docker);
    ASSERT_TRUE(pushed.ok()) << pushed;
    std::string ref = (*reg)->HostPort() + "/test/layered:" + k.tag;
    auto id = (*service)->Pull(ref, creds);
    ASSERT_TRUE(id.ok()) << k.tag << ": " << id.status();
    std::string container = std::string("c-") + k.tag;
    auto rootfs = (*service)->PrepareRootfs(container, *id);
    ASSERT_TRUE(rootfs.ok()) << rootfs.status();
    CheckTree(*rootfs, spec);
    EXPECT_TRUE((*service)->RemoveRootfs(container).ok());
  }
}

INSTANTIATE_TEST_SUITE_P(Variants, PullServiceTest,
                         ::testing::Values(RegistryMode::kPlain, RegistryMode::kTlsBasic,
                                           RegistryMode::kToken),
                         [](const auto& info) { return RegistryModeName(info.param); });

}  // namespace
}  // namespace cricket::testing
