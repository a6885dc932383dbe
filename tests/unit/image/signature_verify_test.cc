// cosign artifacts and the per-signature checks, with real keys made in
// process (OpenSSL) and real signatures: the payload parser, the manifest
// parser, identity matching and Evaluate's reasons.
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

#include "absl/strings/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "image/digest.h"
#include "image/signature/evaluate.h"
#include "image/signature/simple_signing.h"
#include "image/signature/verify.h"
#include "nlohmann/json.hpp"

namespace cricket::image::signature {
namespace {

using ::testing::HasSubstr;

struct Key {
  std::unique_ptr<EVP_PKEY, void (*)(EVP_PKEY*)> pkey{nullptr, EVP_PKEY_free};
  PublicKey pub;
};

Key MakeKey(const char* name) {
  Key k;
  k.pkey.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_PUBKEY(bio, k.pkey.get());
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  k.pub = {name, std::string(data, n)};
  BIO_free(bio);
  return k;
}

std::string Sign(const Key& k, const std::string& payload) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, k.pkey.get());
  size_t len = 0;
  auto p = reinterpret_cast<const unsigned char*>(payload.data());
  EVP_DigestSign(ctx.get(), nullptr, &len, p, payload.size());
  std::string sig(len, '\0');
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, p, payload.size());
  sig.resize(len);
  return sig;
}

std::string Payload(const std::string& identity, const std::string& digest) {
  return nlohmann::json{{"critical",
                         {{"identity", {{"docker-reference", identity}}},
                          {"image", {{"docker-manifest-digest", digest}}},
                          {"type", "cosign container image signature"}}},
                        {"optional", {{"creator", "test"}}}}
      .dump();
}

const std::string kDigest = "sha256:" + std::string(64, 'd');

Reference Ref(const std::string& s) {
  auto r = ParseReference(s);
  EXPECT_TRUE(r.ok());
  return *r;
}

TEST(SignatureVerifyTest, ParsesSimpleSigning) {
  auto c = ParseSimpleSigning(Payload("quay.io/a/b", kDigest));
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->docker_reference, "quay.io/a/b");
  EXPECT_EQ(c->manifest_digest, kDigest);
  for (const char* bad : {"", "[]", R"({"critical": 1})",
                          R"({"critical": {"type": "atomic container signature",
                              "identity": {"docker-reference": "a"},
                              "image": {"docker-manifest-digest": "sha256:00"}}})",
                          R"({"critical": {"type": "cosign container image signature",
                              "identity": {"docker-reference": "a"}, "extra": 1,
                              "image": {"docker-manifest-digest": "sha256:00"}}})"}) {
    EXPECT_FALSE(ParseSimpleSigning(bad).ok()) << bad;
  }
  // A digest that is not sha256:<64 hex>.
  EXPECT_FALSE(ParseSimpleSigning(Payload("quay.io/a/b", "sha256:abc")).ok());
}

TEST(SignatureVerifyTest, ParsesSignatureManifest) {
  nlohmann::json m = {
      {"schemaVersion", 2},
      {"layers",
       {{{"mediaType", kSimpleSigningMediaType}, {"digest", kDigest}, {"size", 10},
         {"annotations", {{kSignatureAnnotation, "c2ln"}}}},
        {{"mediaType", "application/vnd.oci.image.layer.v1.tar"}, {"digest", kDigest},
         {"size", 1}},
        {{"mediaType", kSimpleSigningMediaType}, {"digest", kDigest}, {"size", 3}}}}};
  auto layers = ParseSignatureManifest(m.dump());
  ASSERT_TRUE(layers.ok()) << layers.status();
  ASSERT_EQ(layers->size(), 2u);
  EXPECT_EQ((*layers)[0].signature, "c2ln");
  EXPECT_EQ((*layers)[1].signature, "");
  EXPECT_EQ(SignatureTag(kDigest), "sha256-" + std::string(64, 'd') + ".sig");
  m["layers"][0]["size"] = "ten";
  EXPECT_FALSE(ParseSignatureManifest(m.dump()).ok());
}

TEST(SignatureVerifyTest, IdentityMatching) {
  Requirement r;
  struct Case {
    IdentityMatch match;
    std::string pulled, claimed;
    bool ok;
  } cases[] = {
      {IdentityMatch::kMatchRepoDigestOrExact, "quay.io/a:v1", "quay.io/a:v1", true},
      {IdentityMatch::kMatchRepoDigestOrExact, "quay.io/a:v1", "quay.io/a:v2", false},
      {IdentityMatch::kMatchRepoDigestOrExact, "quay.io/a:v1", "quay.io/a", false},
      {IdentityMatch::kMatchRepoDigestOrExact, "quay.io/a@" + kDigest, "quay.io/a:v9", true},
      {IdentityMatch::kMatchRepoDigestOrExact, "quay.io/a@" + kDigest, "quay.io/b:v9", false},
      {IdentityMatch::kMatchExact, "quay.io/a@" + kDigest, "quay.io/a:v9", false},
      {IdentityMatch::kMatchExact, "quay.io/a:v1", "quay.io/a:v1", true},
      {IdentityMatch::kMatchRepository, "quay.io/a:v1", "quay.io/a", true},
      {IdentityMatch::kMatchRepository, "quay.io/a:v1", "quay.io/ab", false},
      {IdentityMatch::kMatchRepository, "busybox", "docker.io/library/busybox", true},
  };
  for (const Case& c : cases) {
    r.identity = c.match;
    EXPECT_EQ(IdentityMismatch(r, Ref(c.pulled), c.claimed).empty(), c.ok)
        << c.pulled << " claimed as " << c.claimed;
  }
  r.identity = IdentityMatch::kExactRepository;
  r.identity_reference = "quay.io/signed";
  EXPECT_EQ(IdentityMismatch(r, Ref("mirror.io/copy:v1"), "quay.io/signed:v1"), "");
  EXPECT_THAT(IdentityMismatch(r, Ref("mirror.io/copy:v1"), "quay.io/other:v1"),
              HasSubstr("does not match quay.io/signed (signedIdentity exactRepository)"));
}

class SignatureEvaluateTest : public ::testing::Test {
 protected:
  Key key_ = MakeKey("/etc/trusted.pub"), other_ = MakeKey("/etc/other.pub");
  Requirements reqs_;

  absl::Status Run(const std::vector<FetchedSignature>& sigs, const std::string& pulled) {
    if (reqs_.empty()) {
      Requirement r;
      r.type = Requirement::kSigstoreSigned;
      r.keys = {key_.pub};
      reqs_.push_back(r);
    }
    return Evaluate(Scope{"quay.io/a", &reqs_}, Ref(pulled), kDigest,
                    [&] { return absl::StatusOr<std::vector<FetchedSignature>>(sigs); });
  }
  FetchedSignature Signed(const Key& k, const std::string& payload) {
    return {Sha256String(payload), payload, absl::Base64Escape(Sign(k, payload))};
  }
};

TEST_F(SignatureEvaluateTest, ReasonsPerSignature) {
  const std::string good = Payload("quay.io/a:v1", kDigest);
  EXPECT_TRUE(Run({Signed(key_, good)}, "quay.io/a:v1").ok());
  ASSERT_TRUE(CheckPublicKey(key_.pub).ok());
  EXPECT_FALSE(CheckPublicKey({"junk", "-----BEGIN PUBLIC KEY-----\nAAAA\n"}).ok());
  struct Case {
    std::vector<FetchedSignature> sigs;
    std::string reason;
  } cases[] = {
      {{}, "no signature (sha256-"},
      {{Signed(other_, good)}, "signature does not verify with key /etc/trusted.pub"},
      {{{Sha256String(good), good, ""}}, "has no dev.cosignproject.cosign/signature"},
      {{{Sha256String(good), good, "%%"}}, "not base64"},
      {{{kDigest, good, Signed(key_, good).signature}}, "its descriptor says " + kDigest},
      {{Signed(key_, Payload("quay.io/a:v1", "sha256:" + std::string(64, 'e')))},
       "signed digest sha256:eeee"},
      {{Signed(key_, Payload("quay.io/b:v1", kDigest))}, "signed identity \"quay.io/b:v1\""},
      {{Signed(other_, good), Signed(key_, "{}")}, "none of 2 signatures is valid: 1: "},
  };
  for (const Case& c : cases) {
    absl::Status st = Run(c.sigs, "quay.io/a:v1");
    EXPECT_EQ(st.code(), absl::StatusCode::kPermissionDenied) << c.reason;
    EXPECT_THAT(st.message(), HasSubstr("scope \"quay.io/a\" rejects quay.io/a:v1: "));
    EXPECT_THAT(st.message(), HasSubstr(c.reason));
  }
}

TEST_F(SignatureEvaluateTest, EveryRequirementMustAcceptAndFetchIsLazy) {
  Requirement accept, reject;
  accept.type = Requirement::kInsecureAcceptAnything;
  reject.type = Requirement::kReject;
  reqs_ = {accept};
  int fetches = 0;
  auto fetch = [&] {
    ++fetches;
    return absl::StatusOr<std::vector<FetchedSignature>>(absl::UnavailableError("registry down"));
  };
  EXPECT_TRUE(Evaluate(Scope{"s", &reqs_}, Ref("quay.io/a"), kDigest, fetch).ok());
  EXPECT_EQ(fetches, 0);
  reqs_ = {accept, reject};
  EXPECT_THAT(Evaluate(Scope{"s", &reqs_}, Ref("quay.io/a"), kDigest, fetch).message(),
              HasSubstr("rejects every image"));
  Requirement sig;
  sig.type = Requirement::kSigstoreSigned;
  sig.keys = {key_.pub};
  reqs_ = {sig};
  // The registry failing is its own error, not a rejection.
  EXPECT_EQ(Evaluate(Scope{"s", &reqs_}, Ref("quay.io/a"), kDigest, fetch).code(),
            absl::StatusCode::kUnavailable);
}

}  // namespace
}  // namespace cricket::image::signature
