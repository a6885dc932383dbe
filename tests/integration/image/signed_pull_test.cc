// Signed images through ImageService::Pull against the real registry: a
// containers-policy.json file, keys made with openssl, cosign-layout
// signatures pushed next to the image. An image the policy rejects fails the
// pull with the image, the scope and the reason, and leaves nothing behind.
#include <dirent.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "image/image_service.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/cosign_signer.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/registry_fixture.h"
#include "tests/integration/image/fake_registry_helpers.h"

namespace cricket::testing {
namespace {

using ::testing::HasSubstr;

// Files directly in a dir ("" entries skipped); none when it does not exist.
std::vector<std::string> FilesIn(const std::string& dir) {
  std::vector<std::string> out;
  std::unique_ptr<DIR, int (*)(DIR*)> d(opendir(dir.c_str()), closedir);
  if (!d) return out;
  while (dirent* e = readdir(d.get())) {
    std::string name = e->d_name;
    if (name != "." && name != "..") out.push_back(name);
  }
  return out;
}

class SignedPullTest : public ::testing::Test {
 protected:
  // One registry and one busybox image, pushed to every repository the
  // tests use; the signatures differ per repository.
  static void SetUpTestSuite() {
    if (geteuid() != 0 || access(kRegistryBinary, X_OK) != 0) return;
    auto reg = RegistryFixture::Start(RegistryMode::kPlain);
    ASSERT_TRUE(reg.ok()) << reg.status();
    registry_ = reg->release();
    auto dir = sys::TempDir::Make("cricket-signed-");
    ASSERT_TRUE(dir.ok());
    dir_ = new sys::TempDir(std::move(*dir));
    auto image = BusyboxImage();
    ASSERT_TRUE(image.ok()) << image.status();
    auto digest = WriteImage(dir_->Sub("layout"), *image, "v1");
    ASSERT_TRUE(digest.ok()) << digest.status();
    digest_ = *digest;
    for (const char* repo : {"test/good", "test/nosig", "test/wrongid", "test/wrongkey",
                             "test/tampered", "test/otherdigest", "test/open", "test/byrepo"}) {
      absl::Status st = PushLayout(dir_->Sub("layout"), "v1", *registry_, repo, false);
      ASSERT_TRUE(st.ok()) << st;
    }
    auto key = MakeEcKey(dir_->path(), "trusted");
    auto other = MakeEcKey(dir_->path(), "other");
    ASSERT_TRUE(key.ok() && other.ok());
    key_ = *key;
    other_key_ = *other;
  }
  static void TearDownTestSuite() {
    delete registry_;
    delete dir_;
    registry_ = nullptr;
    dir_ = nullptr;
  }

  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    CRICKET_REQUIRE_PROGRAM(registry_bin, "docker-registry");
    CRICKET_REQUIRE_PROGRAM(skopeo_bin, "skopeo");
    CRICKET_REQUIRE_PROGRAM(curl_bin, "curl");
    ASSERT_NE(registry_, nullptr);
  }

  static std::string Host() { return registry_->HostPort(); }

  // A signature by `key` over a payload naming `identity` and `digest`.
  static TestSignature Sign(const TestKey& key, const std::string& identity,
                            const std::string& digest) {
    std::string payload = SimpleSigningPayload(identity, digest);
    auto sig = SignBytes(key, payload);
    EXPECT_TRUE(sig.ok()) << sig.status();
    return {payload, sig.ok() ? *sig : ""};
  }
  static void Push(const std::string& repo, const std::vector<TestSignature>& sigs) {
    auto tag = PushCosignSignatures(Host(), repo, digest_, sigs);
    ASSERT_TRUE(tag.ok()) << tag.status();
  }

  // The policy every test uses: reject by default; everything under
  // <host>/test needs a signature by the trusted key for the exact tag;
  // test/byrepo takes cosign's name-only identity (matchRepository, key
  // given inline); test/open takes anything; test/good:blocked is rejected.
  std::string Policy() const {
    auto pem = sys::ReadFile(key_.public_pem_path);
    EXPECT_TRUE(pem.ok());
    std::string p = R"({
      "default": [{"type": "reject"}],
      "transports": {
        "docker-daemon": {"": [{"type": "insecureAcceptAnything"}]},
        "docker": {
          "HOST/test": [{"type": "sigstoreSigned", "keyPath": "KEYPATH"}],
          "HOST/test/byrepo": [{"type": "sigstoreSigned", "keyData": "KEYDATA",
                                "signedIdentity": {"type": "matchRepository"}}],
          "HOST/test/open": [{"type": "insecureAcceptAnything"}],
          "HOST/test/good:blocked": [{"type": "reject"}]
        }
      }
    })";
    return absl::StrReplaceAll(p, {{"HOST", Host()},
                                   {"KEYPATH", key_.public_pem_path},
                                   {"KEYDATA", absl::Base64Escape(pem.ok() ? *pem : "")}});
  }

  // Pulls `ref` with a fresh root under the policy; the root stays for checks.
  absl::StatusOr<std::string> Pull(const std::string& ref) {
    auto root = sys::TempDir::Make("cricket-signed-root-");
    EXPECT_TRUE(root.ok());
    root_ = std::make_unique<sys::TempDir>(std::move(*root));
    EXPECT_TRUE(sys::WriteFileAtomic(root_->Sub("policy.json"), Policy()).ok());
    conf::Config config = FastConfig();
    config.image.stall_timeout_seconds = 30;
    config.root_dir = root_->Sub("lib");
    config.state_dir = root_->Sub("run");
    config.image.signature_policy = root_->Sub("policy.json");
    auto service = image::ImageService::Open(config);
    if (!service.ok()) return service.status();
    service_ = std::move(*service);
    return service_->Pull(ref);
  }

  // A rejected pull names the image, the scope and the reason, and keeps
  // nothing: no blob, no layer, no record.
  void ExpectRejected(const std::string& ref, const std::string& scope,
                      const std::string& reason) {
    auto id = Pull(ref);
    ASSERT_FALSE(id.ok()) << ref << " was accepted";
    EXPECT_EQ(id.status().code(), absl::StatusCode::kPermissionDenied) << id.status();
    std::string msg(id.status().message());
    EXPECT_THAT(msg, HasSubstr(ref));
    EXPECT_THAT(msg, HasSubstr(scope));
    EXPECT_THAT(msg, HasSubstr(reason));
    const image::Paths& p = service_->paths();
    EXPECT_TRUE(FilesIn(p.blobs()).empty()) << "blobs kept of rejected " << ref;
    EXPECT_TRUE(FilesIn(p.ingest()).empty()) << "partial downloads kept of rejected " << ref;
    EXPECT_TRUE(FilesIn(p.layers()).empty()) << "layers kept of rejected " << ref;
    EXPECT_TRUE(FilesIn(p.records()).empty()) << "record kept of rejected " << ref;
    auto list = service_->List();
    ASSERT_TRUE(list.ok());
    EXPECT_TRUE(list->empty());
  }

  void ExpectAccepted(const std::string& ref) {
    auto id = Pull(ref);
    ASSERT_TRUE(id.ok()) << id.status();
    auto img = service_->Status(ref);
    ASSERT_TRUE(img.ok()) << img.status();
    EXPECT_FALSE(FilesIn(service_->paths().blobs()).empty());
  }

  static inline RegistryFixture* registry_ = nullptr;
  static inline sys::TempDir* dir_ = nullptr;
  static inline std::string digest_;
  static inline TestKey key_, other_key_;
  std::unique_ptr<sys::TempDir> root_;
  std::unique_ptr<image::ImageService> service_;
};

TEST_F(SignedPullTest, ValidSignatureIsAccepted) {
  // A wrong signature next to the valid one does not matter: one suffices.
  Push("test/good", {Sign(other_key_, Host() + "/test/good:v1", digest_),
                     Sign(key_, Host() + "/test/good:v1", digest_)});
  ExpectAccepted(Host() + "/test/good:v1");
}

TEST_F(SignedPullTest, CosignRepositoryIdentityAcceptedUnderMatchRepository) {
  Push("test/byrepo", {Sign(key_, Host() + "/test/byrepo", digest_)});
  ExpectAccepted(Host() + "/test/byrepo:v1");
}

TEST_F(SignedPullTest, MissingSignatureIsRejected) {
  ExpectRejected(Host() + "/test/nosig:v1", Host() + "/test", "no signature");
}

TEST_F(SignedPullTest, WrongKeyIsRejected) {
  Push("test/wrongkey", {Sign(other_key_, Host() + "/test/wrongkey:v1", digest_)});
  ExpectRejected(Host() + "/test/wrongkey:v1", Host() + "/test",
                 "does not verify with key " + key_.public_pem_path);
}

TEST_F(SignedPullTest, TamperedPayloadIsRejected) {
  // Signed bytes say one thing, the stored payload another (its layer digest
  // matches what is stored: only the signature can tell).
  TestSignature s = Sign(key_, Host() + "/test/tampered:v1", digest_);
  s.payload = SimpleSigningPayload(Host() + "/test/tampered:v2", digest_);
  Push("test/tampered", {s});
  ExpectRejected(Host() + "/test/tampered:v1", Host() + "/test", "does not verify with key");
}

TEST_F(SignedPullTest, SignatureForAnotherDigestIsRejected) {
  const std::string other = "sha256:" + std::string(64, 'a');
  Push("test/otherdigest", {Sign(key_, Host() + "/test/otherdigest:v1", other)});
  ExpectRejected(Host() + "/test/otherdigest:v1", Host() + "/test",
                 "signed digest " + other + " is not the pulled image's " + digest_);
}

TEST_F(SignedPullTest, WrongIdentityIsRejected) {
  // Signed for another repository: matchRepoDigestOrExact wants this tag.
  Push("test/wrongid", {Sign(key_, Host() + "/test/good:v1", digest_)});
  ExpectRejected(Host() + "/test/wrongid:v1", Host() + "/test",
                 "signed identity \"" + Host() + "/test/good:v1\" does not match");
}

TEST_F(SignedPullTest, RejectScopeForATagWins) {
  Push("test/good", {Sign(key_, Host() + "/test/good:blocked", digest_)});
  ASSERT_TRUE(RunChecked({"skopeo", "copy", "--insecure-policy", "--quiet", "--preserve-digests",
                          "--dest-tls-verify=false", "--src-tls-verify=false",
                          "docker://" + Host() + "/test/good:v1",
                          "docker://" + Host() + "/test/good:blocked"})
                  .ok());
  ExpectRejected(Host() + "/test/good:blocked", Host() + "/test/good:blocked",
                 "rejects every image");
}

TEST_F(SignedPullTest, InsecureAcceptAnythingOverridesStricterScopes) {
  ExpectAccepted(Host() + "/test/open:v1");
}

TEST_F(SignedPullTest, DefaultRejectAppliesOutsideTheScopes) {
  absl::Status st = PushLayout(dir_->Sub("layout"), "v1", *registry_, "other/app", false);
  ASSERT_TRUE(st.ok()) << st;
  ExpectRejected(Host() + "/other/app:v1", "default", "rejects every image");
}

TEST_F(SignedPullTest, ByDigestPullNeedsTheRepositoryOnly) {
  // matchRepoDigestOrExact: a digest reference takes a signature naming any
  // tag of the same repository.
  Push("test/good", {Sign(key_, Host() + "/test/good:v1", digest_)});
  ExpectAccepted(Host() + "/test/good@" + digest_);
}

}  // namespace
}  // namespace cricket::testing
