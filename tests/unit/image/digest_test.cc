// Digest parsing, streaming sha256, the verifier and chain IDs.
#include "image/digest.h"

#include "gtest/gtest.h"

namespace cricket::image {
namespace {

constexpr char kEmpty[] = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr char kAbc[] = "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(DigestTest, Sha256KnownValues) {
  EXPECT_EQ(Sha256String(""), kEmpty);
  EXPECT_EQ(Sha256String("abc"), kAbc);
  Sha256 h;
  h.Update("a", 1);
  h.Update("bc", 2);
  EXPECT_EQ(h.Finish(), kAbc);
}

TEST(DigestTest, Parse) {
  auto d = ParseDigest(kAbc);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->algorithm, "sha256");
  EXPECT_EQ(d->String(), kAbc);
  for (const std::string& bad : std::vector<std::string>{"", "sha256", "sha256:", "sha512:ab", std::string("sha256:") + std::string(63, 'a'),
                          std::string("sha256:") + std::string(64, 'A'),
                          std::string("sha256:") + std::string(64, 'g')}) {
    EXPECT_EQ(ParseDigest(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(DigestTest, VerifierAcceptsExact) {
  DigestVerifier v(kAbc, 3);
  ASSERT_TRUE(v.Update("ab", 2).ok());
  ASSERT_TRUE(v.Update("c", 1).ok());
  EXPECT_TRUE(v.Verify().ok());
}

TEST(DigestTest, VerifierCatchesLongShortAndWrong) {
  DigestVerifier longer(kAbc, 3);
  EXPECT_EQ(longer.Update("abcd", 4).code(), absl::StatusCode::kDataLoss);
  DigestVerifier shorter(kAbc, 3);
  ASSERT_TRUE(shorter.Update("ab", 2).ok());
  absl::Status st = shorter.Verify();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(std::string(st.message()).find("truncated"), std::string::npos);
  DigestVerifier wrong(kAbc, 3);
  ASSERT_TRUE(wrong.Update("abd", 3).ok());
  EXPECT_EQ(wrong.Verify().code(), absl::StatusCode::kDataLoss);
}

TEST(DigestTest, ChainIds) {
  std::vector<std::string> diffs = {kEmpty, kAbc};
  auto chain = ChainIds(diffs);
  ASSERT_EQ(chain.size(), 2u);
  EXPECT_EQ(chain[0], kEmpty);
  EXPECT_EQ(chain[1], Sha256String(std::string(kEmpty) + " " + kAbc));
  EXPECT_TRUE(ChainIds({}).empty());
}

}  // namespace
}  // namespace cricket::image
