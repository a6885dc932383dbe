// CRI log lines: full lines, partial chunks, long-line splitting, parsing.
#include "pod/cri_log.h"

#include <gtest/gtest.h>

namespace cricket::pod {
namespace {

const struct timespec kTs = {1764042308, 5};  // 2025-11-25T03:45:08.000000005Z

TEST(CriLogTest, TimestampHasNineDigitsUtc) {
  EXPECT_EQ(FormatLogTimestamp(kTs), "2025-11-25T03:45:08.000000005Z");
}

TEST(CriLogTest, EncodesTable) {
  struct Case {
    std::string chunk;
    size_t max;
    std::string want;
  } cases[] = {
      {"hello\n", 100, "T stdout F hello\n"},
      {"a\nb\n", 100, "T stdout F a\nT stdout F b\n"},
      {"no newline", 100, "T stdout P no newline\n"},
      {"a\npartial", 100, "T stdout F a\nT stdout P partial\n"},
      {"abcdefgh\n", 3, "T stdout P abc\nT stdout P def\nT stdout F gh\n"},
      {"abc\n", 3, "T stdout F abc\n"},
      {"\n", 100, "T stdout F \n"},
      {"", 100, ""},
  };
  for (const auto& c : cases) {
    std::string out;
    EncodeCriLog("stdout", c.chunk, kTs, c.max, &out);
    std::string want = c.want;
    for (size_t p; (p = want.find("T ")) != std::string::npos && (p == 0 || want[p - 1] == '\n');) {
      want.replace(p, 1, FormatLogTimestamp(kTs));
    }
    EXPECT_EQ(out, want) << "chunk: " << c.chunk;
  }
}

TEST(CriLogTest, ParsesWhatItEncodes) {
  std::string out;
  EncodeCriLog("stderr", "oops: x y\n", kTs, 100, &out);
  auto l = ParseCriLogLine(out.substr(0, out.size() - 1));
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->stream, "stderr");
  EXPECT_FALSE(l->partial);
  EXPECT_EQ(l->content, "oops: x y");
  EXPECT_EQ(l->timestamp, FormatLogTimestamp(kTs));
}

TEST(CriLogTest, RejectsMalformed) {
  for (const char* bad : {"", "nospace", "2025 stdout", "2025 stdin F x", "2025 stdout X x",
                          "2025 stdout Fx"}) {
    EXPECT_FALSE(ParseCriLogLine(bad).ok()) << bad;
  }
  EXPECT_TRUE(ParseCriLogLine("2025 stdout F").ok());
}

}  // namespace
}  // namespace cricket::pod
