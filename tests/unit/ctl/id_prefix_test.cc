// Resolution of ids given as unique prefixes.
#include "cri/client/id_prefix.h"

#include <gtest/gtest.h>

namespace cricket::cri::client {
namespace {

const std::vector<std::string> kIds = {"abc123", "abd456", "ff00", "ff"};

TEST(IdPrefix, UniquePrefixResolves) {
  EXPECT_EQ(*MatchIdPrefix("container", "abc", kIds), "abc123");
  EXPECT_EQ(*MatchIdPrefix("container", "abd456", kIds), "abd456");
}

TEST(IdPrefix, ExactIdWinsOverLongerMatches) {
  EXPECT_EQ(*MatchIdPrefix("container", "ff", kIds), "ff");
}

TEST(IdPrefix, AmbiguousListsTheMatches) {
  auto id = MatchIdPrefix("pod sandbox", "ab", kIds);
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
  std::string msg(id.status().message());
  EXPECT_NE(msg.find("ambiguous pod sandbox"), std::string::npos) << msg;
  EXPECT_NE(msg.find("abc123"), std::string::npos) << msg;
  EXPECT_NE(msg.find("abd456"), std::string::npos) << msg;
}

TEST(IdPrefix, NoneAndEmpty) {
  auto none = MatchIdPrefix("container", "zz", kIds);
  EXPECT_EQ(none.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(none.status().message()).find("zz"), std::string::npos);
  EXPECT_EQ(MatchIdPrefix("container", "", kIds).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace cricket::cri::client
