// Base64 (RFC 4648): the standard and URL alphabets, optional padding, and
// the characters the decoder refuses.
#include "cri/wire/base64.h"

#include <gtest/gtest.h>

namespace cricket::cri::wire {
namespace {

TEST(Base64, RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(Base64Encode("hello!?"), "aGVsbG8hPw==");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  for (std::string s : std::vector<std::string>{"", "a", "ab", "abc", std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s);
  }
  EXPECT_FALSE(Base64Decode("a$==").has_value());
  EXPECT_FALSE(Base64Decode("a").has_value());
}

TEST(Base64, RfcVectorsPaddingOptional) {
  // RFC 4648 section 10.
  const std::pair<const char*, const char*> kVectors[] = {
      {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : kVectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    EXPECT_EQ(Base64Decode(encoded), plain);
    std::string unpadded = encoded;
    unpadded.erase(unpadded.find_last_not_of('=') + 1);
    EXPECT_EQ(Base64Decode(unpadded), plain) << unpadded;
  }
}

TEST(Base64, DecoderTakesTheStandardAlphabetOnly) {
  EXPECT_FALSE(Base64Decode("-_8").has_value()) << "URL alphabet";
  EXPECT_FALSE(Base64Decode("Zm=9v").has_value()) << "padding inside";
  EXPECT_FALSE(Base64Decode("Zm9v\n").has_value()) << "whitespace";
  EXPECT_EQ(Base64Decode("+/8="), std::string("\xfb\xff", 2));
}

}  // namespace
}  // namespace cricket::cri::wire
