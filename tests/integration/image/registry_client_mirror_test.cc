// Mirrors, redirects and the Bearer token flow against fake registries on
// 127.0.0.x: a mirror is tried first and the origin only when it fails;
// credentials never follow a redirect to another host.
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "image/digest.h"
#include "image/manifest.h"
#include "image/registry/client.h"
#include "tests/integration/image/fake_registry_helpers.h"

namespace cricket::testing {
namespace {

using image::registry::Credentials;
using image::registry::NewClient;

const char kIndex[] = R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]})";

std::unique_ptr<FakeRegistry> StartFake(const std::string& ip = "127.0.0.1") {
  auto f = FakeRegistry::Start(ip);
  EXPECT_TRUE(f.ok()) << f.status();
  return f.ok() ? std::move(*f) : nullptr;
}

TEST(RegistryMirrors, MirrorServesAndOriginIsNeverContacted) {
  auto mirror = StartFake();
  auto origin = StartFake("127.0.0.2");
  ASSERT_TRUE(mirror && origin);
  mirror->Manifest("team/app", "v1", image::kMediaOciIndex, kIndex);
  conf::Config config = FastConfig();
  config.registries.hosts[origin->HostPort()].mirrors = {"http://" + mirror->HostPort()};
  config.registries.hosts[origin->HostPort()].insecure = true;
  auto ref = Ref(origin->HostPort(), "team/app", "v1");
  auto client = NewClient(config, ref, {});
  ASSERT_TRUE(client.ok()) << client.status();
  auto m = (*client)->GetManifest(ref, "v1");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->body, kIndex);
  EXPECT_EQ(mirror->Hits("/v2/team/app/manifests/v1"), 1);
  EXPECT_EQ(origin->TotalRequests(), 0u);
}

TEST(RegistryMirrors, OriginIsTheFallbackWhenTheMirrorFails) {
  auto mirror = StartFake();
  auto origin = StartFake("127.0.0.2");
  ASSERT_TRUE(mirror && origin);
  mirror->Route("/v2/team/app/manifests/v1", [](const HttpRequestIn&, int) {
    HttpReply r;
    r.status = 503;
    return r;
  });
  origin->Manifest("team/app", "v1", image::kMediaOciIndex, kIndex);
  std::string blob = "layer bytes";
  std::string digest = image::Sha256String(blob);
  origin->Blob("team/app", digest, blob);  // the mirror answers 404 for it
  conf::Config config = FastConfig();
  config.registries.retries = 0;
  config.registries.hosts[origin->HostPort()].mirrors = {mirror->HostPort()};
  auto ref = Ref(origin->HostPort(), "team/app", "v1");
  auto client = NewClient(config, ref, {});
  ASSERT_TRUE(client.ok());
  auto m = (*client)->GetManifest(ref, "v1");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(mirror->Hits("/v2/team/app/manifests/v1"), 1);
  EXPECT_EQ(origin->Hits("/v2/team/app/manifests/v1"), 1);
  std::string got;
  absl::Status st = FetchAll(**client, ref, digest, blob.size(), &got);
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_EQ(got, blob);
}

TEST(RegistryMirrors, PublicNameServedOnlyByTheLocalMirror) {
  // registry.k8s.io is only a name here: the mirror succeeds, so no DNS
  // lookup or connection for the origin ever happens.
  auto mirror = StartFake();
  ASSERT_TRUE(mirror);
  mirror->Manifest("pause", "3.9", image::kMediaOciIndex, kIndex);
  conf::Config config = FastConfig();
  config.registries.hosts["registry.k8s.io"].mirrors = {"http://" + mirror->HostPort()};
  auto ref = Ref("registry.k8s.io", "pause", "3.9");
  auto client = NewClient(config, ref, {});
  ASSERT_TRUE(client.ok());
  auto m = (*client)->GetManifest(ref, "3.9");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(mirror->TotalRequests(), 1u);
}

TEST(RegistryMirrors, AllEndpointsFailingNamesTheOrigin) {
  auto mirror = StartFake();
  auto origin = StartFake("127.0.0.2");
  ASSERT_TRUE(mirror && origin);
  conf::Config config = FastConfig();
  config.registries.hosts[origin->HostPort()].mirrors = {"http://" + mirror->HostPort()};
  auto ref = Ref(origin->HostPort(), "team/app", "v1");
  auto m = (*NewClient(config, ref, {}))->GetManifest(ref, "v1");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(m.status().message()).find("registry " + origin->HostPort()),
            std::string::npos)
      << m.status();
}

TEST(RegistryRedirects, AuthorizationNotForwardedToAnotherHost) {
  auto reg = StartFake();
  auto storage = StartFake("127.0.0.3");
  ASSERT_TRUE(reg && storage);
  std::string blob(100000, 'z');
  std::string digest = image::Sha256String(blob);
  storage->Route("/bucket/blob", [blob](const HttpRequestIn& req, int) {
    return FakeRegistry::BlobReply(req, blob);
  });
  reg->Route("/v2/app/blobs/" + digest, [&](const HttpRequestIn& req, int) {
    HttpReply r;
    r.status = req.Header("authorization") == "Bearer secret-token" ? 307 : 401;
    r.headers = {{"Location", storage->HostPort().insert(0, "http://") + "/bucket/blob"}};
    return r;
  });
  Credentials creds;
  creds.registry_token = "secret-token";
  auto ref = Ref(reg->HostPort(), "app", "v1");
  auto client = NewClient(FastConfig(), ref, creds);
  ASSERT_TRUE(client.ok());
  std::string got;
  absl::Status st = FetchAll(**client, ref, digest, blob.size(), &got);
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_EQ(got, blob);
  auto reqs = storage->Requests();
  ASSERT_EQ(reqs.size(), 1u);
  EXPECT_EQ(reqs[0].Header("authorization"), "");
}

TEST(RegistryTokens, BearerChallengeFetchesAndCachesAToken) {
  auto reg = StartFake();
  auto auth = StartFake("127.0.0.4");
  ASSERT_TRUE(reg && auth);
  std::string realm = "http://" + auth->HostPort() + "/token";
  auth->Route("/token", [](const HttpRequestIn& req, int) {
    HttpReply r;
    bool ok = req.Header("authorization") == "Basic dXNlcjpwYXNz" &&
              req.Query("service") == "fake-registry" &&
              req.Query("scope") == "repository:team/app:pull";
    r.status = ok ? 200 : 401;
    r.body = ok ? R"({"token":"t0ken","expires_in":300})" : "";
    return r;
  });
  reg->Route("/v2/team/app/manifests/v1", [realm](const HttpRequestIn& req, int) {
    HttpReply r;
    if (req.Header("authorization") != "Bearer t0ken") {
      r.status = 401;
      r.headers = {{"WWW-Authenticate",
                    absl::StrCat("Bearer realm=\"", realm,
                                 "\",service=\"fake-registry\",scope=\"repository:team/app:pull\"")}};
      r.body = ErrorJson("UNAUTHORIZED", "authentication required");
      return r;
    }
    r.headers = {{"Content-Type", image::kMediaOciIndex}};
    r.body = kIndex;
    return r;
  });
  auto ref = Ref(reg->HostPort(), "team/app", "v1");
  Credentials creds;
  creds.username = "user";
  creds.password = "pass";
  for (int i = 0; i < 2; ++i) {
    auto client = NewClient(FastConfig(), ref, creds);
    ASSERT_TRUE(client.ok());
    auto m = (*client)->GetManifest(ref, "v1");
    ASSERT_TRUE(m.ok()) << m.status();
  }
  EXPECT_EQ(auth->Hits("/token"), 1);  // the second client used the cached token

  creds.password = "wrong";
  auto client = NewClient(FastConfig(), ref, creds);
  auto m = (*client)->GetManifest(ref, "v1");
  EXPECT_EQ(m.status().code(), absl::StatusCode::kUnauthenticated) << m.status();
  EXPECT_NE(std::string(m.status().message()).find("credentials rejected for user \"user\""),
            std::string::npos)
      << m.status();
}

}  // namespace
}  // namespace cricket::testing
