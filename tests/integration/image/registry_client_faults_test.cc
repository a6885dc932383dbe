// The registry client against a scripted fake registry on 127.0.0.1: manifest
// types and checks, digest mismatches, truncated blobs (Range resume), 500s
// (retry, then a clear error), stalls, garbage, and size caps.
#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "image/digest.h"
#include "image/manifest.h"
#include "image/registry/client.h"
#include "tests/integration/image/fake_registry_helpers.h"

namespace cricket::testing {
namespace {

using image::registry::Client;
using image::registry::Credentials;
using image::registry::NewClient;

std::string Msg(const absl::Status& st) { return std::string(st.message()); }

class RegistryFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto f = FakeRegistry::Start();
    ASSERT_TRUE(f.ok()) << f.status();
    reg_ = std::move(*f);
    config_ = FastConfig();
    blob_ = std::string(200000, 'x');
    for (size_t i = 0; i < blob_.size(); ++i) blob_[i] = static_cast<char>('a' + i % 26);
    blob_digest_ = image::Sha256String(blob_);
  }
  std::unique_ptr<Client> MakeClient(const Credentials& creds = {}) {
    auto c = NewClient(config_, Ref(reg_->HostPort(), "app", "v1"), creds);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(*c) : nullptr;
  }
  absl::Status Fetch(Client& c, std::string* out, int64_t size = -2, int64_t offset = 0) {
    return c.FetchBlob(Ref(reg_->HostPort(), "app", "v1"), blob_digest_,
                       size == -2 ? static_cast<int64_t>(blob_.size()) : size, offset,
                       [out](const char* d, size_t n) {
                         out->append(d, n);
                         return absl::OkStatus();
                       });
  }
  std::string BlobPath() const { return "/v2/app/blobs/" + blob_digest_; }

  std::unique_ptr<FakeRegistry> reg_;
  conf::Config config_;
  std::string blob_, blob_digest_;
};

const char kOciManifest[] = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
  "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","size":2},
  "layers":[]})";
const char kIndex[] = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})";

TEST_F(RegistryFaultsTest, EveryManifestTypeAccepted) {
  std::string docker = std::string(kOciManifest);
  docker.replace(docker.find(image::kMediaOciManifest), strlen(image::kMediaOciManifest),
                 image::kMediaDockerManifest);
  std::string list = std::string(kIndex);
  list.replace(list.find(image::kMediaOciIndex), strlen(image::kMediaOciIndex),
               image::kMediaDockerList);
  struct Case { const char* tag; const char* type; std::string body; } cases[] = {
      {"oci", image::kMediaOciManifest, kOciManifest},
      {"docker", image::kMediaDockerManifest, docker},
      {"index", image::kMediaOciIndex, kIndex},
      {"list", image::kMediaDockerList, list},
  };
  for (const Case& c : cases) reg_->Manifest("app", c.tag, c.type, c.body);
  auto client = MakeClient();
  for (const Case& c : cases) {
    auto m = client->GetManifest(Ref(reg_->HostPort(), "app", c.tag), c.tag);
    ASSERT_TRUE(m.ok()) << c.tag << ": " << m.status();
    EXPECT_EQ(m->media_type, c.type);
    EXPECT_EQ(m->body, c.body);
    EXPECT_EQ(m->digest, image::Sha256String(c.body));
  }
  // The Accept header names every type we handle, schema1 included to reject it.
  auto reqs = reg_->Requests();
  std::string accept = reqs.back().Header("accept");
  for (const char* t : {image::kMediaOciIndex, image::kMediaDockerList, image::kMediaOciManifest,
                        image::kMediaDockerManifest}) {
    EXPECT_NE(accept.find(t), std::string::npos) << t;
  }
  // Pinned by digest: fetched by digest and verified.
  std::string digest = image::Sha256String(kOciManifest);
  reg_->Manifest("app", digest, image::kMediaOciManifest, kOciManifest);
  EXPECT_TRUE(client->GetManifest(Ref(reg_->HostPort(), "app", digest), digest).ok());
}

TEST_F(RegistryFaultsTest, Schema1RejectedByName) {
  reg_->Manifest("app", "old", "application/vnd.docker.distribution.manifest.v1+prettyjws",
                 R"({"schemaVersion":1,"name":"app","tag":"old","fsLayers":[]})");
  auto m = MakeClient()->GetManifest(Ref(reg_->HostPort(), "app", "old"), "old");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(Msg(m.status()).find("schema1"), std::string::npos) << m.status();
}

TEST_F(RegistryFaultsTest, ManifestDigestMismatchIsDataLoss) {
  std::string digest = image::Sha256String("something else");
  reg_->Manifest("app", digest, image::kMediaOciManifest, kOciManifest);
  auto m = MakeClient()->GetManifest(Ref(reg_->HostPort(), "app", digest), digest);
  EXPECT_EQ(m.status().code(), absl::StatusCode::kDataLoss) << m.status();
  EXPECT_NE(Msg(m.status()).find(digest), std::string::npos);
}

TEST_F(RegistryFaultsTest, GarbageManifestIsInvalidArgument) {
  reg_->Manifest("app", "bad", image::kMediaOciManifest, "{this is not json");
  auto m = MakeClient()->GetManifest(Ref(reg_->HostPort(), "app", "bad"), "bad");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument) << m.status();
  EXPECT_NE(Msg(m.status()).find("app:bad"), std::string::npos) << m.status();
}

TEST_F(RegistryFaultsTest, HugeManifestHitsTheCap) {
  config_.image.max_manifest_bytes = 4096;
  std::string huge = std::string(kIndex);
  huge.insert(1, absl::StrCat("\"pad\":\"", std::string(100000, ' '), "\","));
  reg_->Manifest("app", "huge", image::kMediaOciIndex, huge);
  auto m = MakeClient()->GetManifest(Ref(reg_->HostPort(), "app", "huge"), "huge");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument) << m.status();
  EXPECT_NE(Msg(m.status()).find("limit of 4096 bytes"), std::string::npos) << m.status();
}

TEST_F(RegistryFaultsTest, MissingManifestIsNotFoundWithRegistryMessage) {
  auto m = MakeClient()->GetManifest(Ref(reg_->HostPort(), "app", "nope"), "nope");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(Msg(m.status()).find("manifest unknown (MANIFEST_UNKNOWN)"), std::string::npos);
  EXPECT_NE(Msg(m.status()).find(reg_->HostPort()), std::string::npos) << m.status();
  EXPECT_NE(Msg(m.status()).find("app:nope"), std::string::npos) << m.status();
}

TEST_F(RegistryFaultsTest, BlobStreamsWhole) {
  reg_->Blob("app", blob_digest_, blob_);
  std::string got;
  ASSERT_TRUE(Fetch(*MakeClient(), &got).ok());
  EXPECT_EQ(got, blob_);
}

TEST_F(RegistryFaultsTest, TamperedBlobIsDataLoss) {
  std::string tampered = blob_;
  tampered[1000] ^= 1;
  reg_->Blob("app", blob_digest_, tampered);
  std::string got;
  absl::Status st = Fetch(*MakeClient(), &got);
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_NE(Msg(st).find(blob_digest_), std::string::npos) << st;
}

TEST_F(RegistryFaultsTest, TruncatedBlobResumesWithRange) {
  reg_->Route(BlobPath(), [this](const HttpRequestIn& req, int hit) {
    HttpReply r = FakeRegistry::BlobReply(req, blob_);
    if (hit == 1) r.truncate_after = 70000;
    return r;
  });
  std::string got;
  absl::Status st = Fetch(*MakeClient(), &got);
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_EQ(got, blob_);  // each byte exactly once
  auto reqs = reg_->Requests();
  ASSERT_GE(reqs.size(), 2u);
  EXPECT_EQ(reqs.back().Header("range"), "bytes=70000-");
}

TEST_F(RegistryFaultsTest, ResumeWhenServerIgnoresRange) {
  reg_->Route(BlobPath(), [this](const HttpRequestIn&, int hit) {
    HttpReply r;
    r.body = blob_;  // always 200 with the whole body
    if (hit == 1) r.truncate_after = 50000;
    return r;
  });
  std::string got;
  ASSERT_TRUE(Fetch(*MakeClient(), &got).ok());
  EXPECT_EQ(got, blob_);
}

TEST_F(RegistryFaultsTest, CallerOffsetAsksForTheRest) {
  reg_->Blob("app", blob_digest_, blob_);
  std::string got;
  ASSERT_TRUE(Fetch(*MakeClient(), &got, blob_.size(), 1234).ok());
  EXPECT_EQ(got, blob_.substr(1234));
  EXPECT_EQ(reg_->Requests().back().Header("range"), "bytes=1234-");
}

TEST_F(RegistryFaultsTest, ServerErrorThenSuccessIsRetried) {
  reg_->Route(BlobPath(), [this](const HttpRequestIn& req, int hit) {
    if (hit == 1) {
      HttpReply r;
      r.status = 500;
      r.body = ErrorJson("UNKNOWN", "try later");
      return r;
    }
    return FakeRegistry::BlobReply(req, blob_);
  });
  std::string got;
  absl::Status st = Fetch(*MakeClient(), &got);
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_EQ(got, blob_);
  EXPECT_EQ(reg_->Hits(BlobPath()), 2);
}

TEST_F(RegistryFaultsTest, ServerErrorForeverGivesUpClearly) {
  reg_->Route(BlobPath(), [](const HttpRequestIn&, int) {
    HttpReply r;
    r.status = 500;
    r.body = ErrorJson("UNKNOWN", "storage backend is down");
    return r;
  });
  std::string got;
  absl::Status st = Fetch(*MakeClient(), &got);
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(Msg(st).find("HTTP 500: storage backend is down (UNKNOWN)"), std::string::npos) << st;
  EXPECT_NE(Msg(st).find("gave up after 3 attempts"), std::string::npos) << st;
  EXPECT_EQ(reg_->Hits(BlobPath()), 3);  // 1 + retries(2)
  EXPECT_TRUE(got.empty());
}

TEST_F(RegistryFaultsTest, CallerGoneDuringTheRetryWaitStopsBeforeTheNextTry) {
  // The registry asks for a 5 s wait; the caller goes away during it.
  reg_->Route(BlobPath(), [](const HttpRequestIn&, int) {
    HttpReply r;
    r.status = 503;
    r.headers = {{"Retry-After", "5"}};
    r.body = ErrorJson("UNAVAILABLE", "busy");
    return r;
  });
  std::atomic<bool> gone{false};
  std::thread leave([&] {
    while (reg_->Hits(BlobPath()) < 1) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    gone = true;
  });
  auto client = MakeClient();
  client->set_cancelled([&] { return gone.load(); });
  std::string got;
  absl::Status st = Fetch(*client, &got);
  leave.join();
  EXPECT_EQ(st.code(), absl::StatusCode::kCancelled) << st;
  EXPECT_NE(Msg(st).find("the pull's caller went away"), std::string::npos) << st;
  // Stopped in the wait: no second request (the old code slept it out and asked again).
  EXPECT_EQ(reg_->Hits(BlobPath()), 1);
}

TEST_F(RegistryFaultsTest, ClientErrorsAreNotRetried) {
  reg_->Route(BlobPath(), [](const HttpRequestIn&, int) {
    HttpReply r;
    r.status = 403;
    r.body = ErrorJson("DENIED", "requested access to the resource is denied");
    return r;
  });
  std::string got;
  absl::Status st = Fetch(*MakeClient(), &got);
  EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied) << st;
  EXPECT_EQ(reg_->Hits(BlobPath()), 1);
}

TEST_F(RegistryFaultsTest, StalledTransferFailsClearly) {
  reg_->Route(BlobPath(), [this](const HttpRequestIn&, int) {
    HttpReply r;
    r.body = blob_;
    r.stall_after = 0;
    return r;
  });
  config_.registries.retries = 1;
  std::string got;
  absl::Status st = Fetch(*MakeClient(), &got);
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable) << st;
  EXPECT_NE(Msg(st).find("stalled"), std::string::npos) << st;
}

TEST_F(RegistryFaultsTest, OversizedBlobIsDataLoss) {
  reg_->Blob("app", blob_digest_, blob_ + "extra");
  std::string got;
  absl::Status st = Fetch(*MakeClient(), &got);
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
}

}  // namespace
}  // namespace cricket::testing
