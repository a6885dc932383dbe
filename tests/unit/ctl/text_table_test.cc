// Tables, sizes and ages as cricketctl prints them (crictl's look).
#include "cri/client/text_table.h"

#include <gtest/gtest.h>

namespace cricket::cri::client {
namespace {

TEST(TextTable, ColumnsAlignWithThreeSpaces) {
  std::string t = FormatTable({{"POD ID", "NAME", "STATE"}, {"abc", "a-long-name", "SANDBOX_READY"},
                               {"0123456789abc", "b", ""}});
  EXPECT_EQ(t,
            "POD ID          NAME          STATE\n"
            "abc             a-long-name   SANDBOX_READY\n"
            "0123456789abc   b\n");
}

TEST(TextTable, HeaderOnly) { EXPECT_EQ(FormatTable({{"A", "B"}}), "A   B\n"); }

TEST(TextTable, HumanSize) {
  EXPECT_EQ(HumanSize(0), "0B");
  EXPECT_EQ(HumanSize(999), "999B");
  EXPECT_EQ(HumanSize(742000), "742kB");
  EXPECT_EQ(HumanSize(1234567), "1.23MB");
  EXPECT_EQ(HumanSize(12345), "12.3kB");
  EXPECT_EQ(HumanSize(5e9), "5GB");
}

TEST(TextTable, HumanAgo) {
  const int64_t s = 1000000000;
  EXPECT_EQ(HumanAgo(100 * s, 100 * s), "Less than a second ago");
  EXPECT_EQ(HumanAgo(0, 5 * s), "5 seconds ago");
  EXPECT_EQ(HumanAgo(0, 70 * s), "About a minute ago");
  EXPECT_EQ(HumanAgo(0, 600 * s), "10 minutes ago");
  EXPECT_EQ(HumanAgo(0, 3 * 3600 * s), "3 hours ago");
  EXPECT_EQ(HumanAgo(0, 72 * 3600 * s), "3 days ago");
}

TEST(TextTable, ShortId) {
  EXPECT_EQ(ShortId("sha256:0123456789abcdef"), "0123456789abc");
  EXPECT_EQ(ShortId("fedcba9876543210"), "fedcba9876543");
  EXPECT_EQ(ShortId("abc"), "abc");
}

}  // namespace
}  // namespace cricket::cri::client
