// WWW-Authenticate parsing, credentials normalisation and auth file lookup.
#include "image/registry/auth.h"

#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"

namespace cricket::image::registry {
namespace {

TEST(WwwAuthenticate, BearerWithQuotedParams) {
  auto c = ParseWwwAuthenticate(
      R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params["realm"], "https://auth.docker.io/token");
  EXPECT_EQ(c[0].params["service"], "registry.docker.io");
  EXPECT_EQ(c[0].params["scope"], "repository:library/busybox:pull");
}

TEST(WwwAuthenticate, ScopeWithCommaAndEscapes) {
  auto c = ParseWwwAuthenticate(
      R"(Bearer realm="http://127.0.0.1:1/t", scope="repository:a:pull,push", error="insufficient \"scope\"")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].params["scope"], "repository:a:pull,push");
  EXPECT_EQ(c[0].params["error"], "insufficient \"scope\"");
}

TEST(WwwAuthenticate, BasicAndSeveralChallenges) {
  auto c = ParseWwwAuthenticate(R"(Basic realm="Registry Realm", Bearer realm=x,service=y)");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].scheme, "basic");
  EXPECT_EQ(c[0].params["realm"], "Registry Realm");
  EXPECT_EQ(c[1].scheme, "bearer");
  EXPECT_EQ(c[1].params["realm"], "x");
  EXPECT_EQ(c[1].params["service"], "y");
}

TEST(WwwAuthenticate, CaseInsensitiveSchemeAndKeys) {
  auto c = ParseWwwAuthenticate(R"(BEARER Realm="r")");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].scheme, "bearer");
  EXPECT_EQ(c[0].params["realm"], "r");
}

TEST(WwwAuthenticate, EmptyAndGarbage) {
  EXPECT_TRUE(ParseWwwAuthenticate("").empty());
  auto c = ParseWwwAuthenticate("Basic");
  ASSERT_EQ(c.size(), 1u);
  EXPECT_TRUE(c[0].params.empty());
}

TEST(Credentials, AuthFieldDecoded) {
  Credentials in;
  in.auth = "dXNlcjpwYTpzcw==";  // user:pa:ss
  auto c = NormalizeCredentials(in);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->username, "user");
  EXPECT_EQ(c->password, "pa:ss");
}

TEST(Credentials, BadAuthFieldRejected) {
  Credentials in;
  in.auth = "!!!";
  EXPECT_EQ(NormalizeCredentials(in).status().code(), absl::StatusCode::kInvalidArgument);
  in.auth = "bm9jb2xvbg==";  // "nocolon"
  EXPECT_EQ(NormalizeCredentials(in).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Credentials, BasicHeader) {
  EXPECT_EQ(BasicAuthorization("user", "pass"), "Basic dXNlcjpwYXNz");
  EXPECT_EQ(PullScope("library/busybox"), "repository:library/busybox:pull");
}

class AuthFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = sys::TempDir::Make("cricket-authfile-");
    ASSERT_TRUE(d.ok());
    dir_ = std::make_unique<sys::TempDir>(std::move(*d));
    path_ = dir_->Sub("config.json");
    ASSERT_TRUE(sys::WriteFileAtomic(path_, R"({"auths": {
      "https://index.docker.io/v1/": {"auth": "aHViOmh1YnB3"},
      "127.0.0.1:5000": {"auth": "bG9jYWw6bG9jYWxwdw=="},
      "http://mirror.invalid:6000/v2/": {"identitytoken": "refresh-me"},
      "quay.invalid": {"username": "u", "password": "p"}
    }})").ok());
  }
  std::unique_ptr<sys::TempDir> dir_;
  std::string path_;
};

TEST_F(AuthFileTest, DockerHubLegacyKey) {
  for (const char* domain : {"docker.io", "registry-1.docker.io", "index.docker.io"}) {
    auto c = LookupAuthFile(path_, domain);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->username, "hub") << domain;
    EXPECT_EQ(c->password, "hubpw") << domain;
  }
}

TEST_F(AuthFileTest, HostWithPortAndSchemeKeys) {
  auto c = LookupAuthFile(path_, "127.0.0.1:5000");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->username, "local");
  EXPECT_EQ(c->password, "localpw");
  c = LookupAuthFile(path_, "mirror.invalid:6000");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->identity_token, "refresh-me");
  c = LookupAuthFile(path_, "quay.invalid");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->username, "u");
}

TEST_F(AuthFileTest, NoEntryOrNoFileIsEmpty) {
  auto c = LookupAuthFile(path_, "127.0.0.1:5001");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->empty());
  c = LookupAuthFile(dir_->Sub("missing.json"), "docker.io");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->empty());
  c = LookupAuthFile("", "docker.io");
  ASSERT_TRUE(c.ok());
  EXPECT_TRUE(c->empty());
}

TEST_F(AuthFileTest, MalformedFileNamed) {
  ASSERT_TRUE(sys::WriteFileAtomic(path_, "{not json").ok());
  auto c = LookupAuthFile(path_, "docker.io");
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(c.status().message()).find(path_), std::string::npos);
}

TEST(TokenResponse, TokenOrAccessToken) {
  auto r = ParseTokenResponse(R"({"token":"abc","expires_in":300})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->token, "abc");
  EXPECT_EQ(r->expires_in, 300);
  r = ParseTokenResponse(R"({"access_token":"xyz"})");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->token, "xyz");
  EXPECT_EQ(r->expires_in, 60);
  EXPECT_FALSE(ParseTokenResponse(R"({"nothing":1})").ok());
  EXPECT_FALSE(ParseTokenResponse("garbage").ok());
}

}  // namespace
}  // namespace cricket::image::registry
