// containers-policy.json parsing (strict: what cricket cannot honour is an
// error) and the choice of the most specific docker scope.
#include "image/signature/policy.h"

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cricket::image::signature {
namespace {

using ::testing::HasSubstr;

std::string ScopeOf(const Policy& p, const std::string& ref) {
  auto r = ParseReference(ref);
  EXPECT_TRUE(r.ok()) << r.status();
  return SelectScope(p, *r).name;
}

TEST(SignaturePolicyTest, ParsesRequirementsAndIdentities) {
  auto p = ParsePolicy(R"({
    "default": [{"type": "insecureAcceptAnything"}],
    "transports": {
      "docker": {
        "quay.io/a": [{"type": "sigstoreSigned", "keyPath": "/etc/k.pub"}],
        "quay.io/b": [{"type": "sigstoreSigned", "keyDatas": [")" +
                       absl::Base64Escape("PEM1") + R"(", ")" + absl::Base64Escape("PEM2") + R"("],
                       "signedIdentity": {"type": "matchRepository"}}],
        "quay.io/c": [{"type": "sigstoreSigned", "keyPaths": ["/k1", "/k2"],
                       "signedIdentity": {"type": "exactRepository",
                                          "dockerRepository": "quay.io/other"}}],
        "": [{"type": "reject"}]
      },
      "docker-daemon": {"": [{"type": "insecureAcceptAnything"}]}
    }
  })");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->default_requirements[0].type, Requirement::kInsecureAcceptAnything);
  ASSERT_EQ(p->docker.size(), 4u);  // docker-daemon is not kept
  const Requirement& a = p->docker["quay.io/a"][0];
  EXPECT_EQ(a.type, Requirement::kSigstoreSigned);
  EXPECT_EQ(a.key_paths, std::vector<std::string>{"/etc/k.pub"});
  EXPECT_EQ(a.identity, IdentityMatch::kMatchRepoDigestOrExact);
  const Requirement& b = p->docker["quay.io/b"][0];
  ASSERT_EQ(b.keys.size(), 2u);
  EXPECT_EQ(b.keys[1].pem, "PEM2");
  EXPECT_EQ(b.identity, IdentityMatch::kMatchRepository);
  const Requirement& c = p->docker["quay.io/c"][0];
  EXPECT_EQ(c.key_paths.size(), 2u);
  EXPECT_EQ(c.identity, IdentityMatch::kExactRepository);
  EXPECT_EQ(c.identity_reference, "quay.io/other");
  EXPECT_EQ(p->docker[""][0].type, Requirement::kReject);
}

TEST(SignaturePolicyTest, RefusesWhatItCannotHonour) {
  struct Case {
    const char* json;
    const char* error;
  } cases[] = {
      {"[]", "not a JSON object"},
      {"{}", "\"default\" is missing"},
      {R"({"default": []})", "non-empty list"},
      {R"({"default": [{"type": "reject"}], "extra": 1})", "field \"extra\""},
      {R"({"default": [{"type": "signedBy", "keyType": "GPGKeys"}]})", "\"signedBy\" is not supported"},
      {R"({"default": [{"type": "reject", "keyPath": "/k"}]})", "field \"keyPath\""},
      {R"({"default": [{"type": "sigstoreSigned"}]})", "exactly one of keyPath"},
      {R"({"default": [{"type": "sigstoreSigned", "keyPath": "/k", "keyData": "eA=="}]})",
       "exactly one of"},
      {R"({"default": [{"type": "sigstoreSigned", "keyPath": "rel/k"}]})", "not absolute"},
      {R"({"default": [{"type": "sigstoreSigned", "keyData": "!!"}]})", "not base64"},
      {R"({"default": [{"type": "sigstoreSigned", "fulcio": {}}]})", "field \"fulcio\""},
      {R"({"default": [{"type": "sigstoreSigned", "keyPath": "/k",
           "signedIdentity": {"type": "remapIdentity", "prefix": "a", "signedPrefix": "b"}}]})",
       "\"remapIdentity\" is not supported"},
      {R"({"default": [{"type": "reject"}], "transports": {"docker": {"busybox": [{"type": "reject"}]}}})",
       "not a registry host"},
      {R"({"default": [{"type": "reject"}], "transports": {"docker": {"docker.io/busybox": [{"type": "reject"}]}}})",
       "docker.io/library/busybox"},
      {R"({"default": [{"type": "reject"}], "transports": {"docker": {"*.": [{"type": "reject"}]}}})",
       "*.domain"},
      {R"({"default": [{"type": "reject"}], "transports": {"docker": {"quay.io": {}}}})",
       "non-empty list"},
  };
  for (const Case& c : cases) {
    auto p = ParsePolicy(c.json);
    ASSERT_FALSE(p.ok()) << c.json;
    EXPECT_EQ(p.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(p.status().message(), HasSubstr(c.error)) << c.json;
  }
}

TEST(SignaturePolicyTest, MostSpecificScopeWins) {
  auto p = ParsePolicy(R"({
    "default": [{"type": "reject"}],
    "transports": {"docker": {
      "": [{"type": "reject"}],
      "reg.example.com": [{"type": "reject"}],
      "*.example.com": [{"type": "reject"}],
      "*.b.example.com": [{"type": "reject"}],
      "reg.example.com/team": [{"type": "reject"}],
      "reg.example.com/team/app": [{"type": "reject"}],
      "reg.example.com/team/app:v1": [{"type": "reject"}],
      "reg.example.com/team/app@sha256:)" + std::string(64, 'c') + R"(": [{"type": "reject"}],
      "127.0.0.1:5000/x": [{"type": "reject"}]
    }}
  })");
  ASSERT_TRUE(p.ok()) << p.status();
  const std::string digest = "sha256:" + std::string(64, 'c');
  EXPECT_EQ(ScopeOf(*p, "reg.example.com/team/app:v1"), "reg.example.com/team/app:v1");
  EXPECT_EQ(ScopeOf(*p, "reg.example.com/team/app:v2"), "reg.example.com/team/app");
  EXPECT_EQ(ScopeOf(*p, "reg.example.com/team/app@" + digest), "reg.example.com/team/app@" + digest);
  EXPECT_EQ(ScopeOf(*p, "reg.example.com/team/other/deep:v1"), "reg.example.com/team");
  EXPECT_EQ(ScopeOf(*p, "reg.example.com/solo"), "reg.example.com");
  EXPECT_EQ(ScopeOf(*p, "a.b.example.com/x"), "*.b.example.com");
  EXPECT_EQ(ScopeOf(*p, "c.example.com/x"), "*.example.com");
  EXPECT_EQ(ScopeOf(*p, "127.0.0.1:5000/x/y"), "127.0.0.1:5000/x");
  EXPECT_EQ(ScopeOf(*p, "busybox"), "docker");
  p->docker.erase("");
  EXPECT_EQ(ScopeOf(*p, "busybox"), "default");
}

}  // namespace
}  // namespace cricket::image::signature
