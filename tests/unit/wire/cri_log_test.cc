// CRI log lines as the monitor writes and the client reads them: full lines,
// partial chunks, long-line splitting, the tags, timestamps, malformed lines.
#include "cri/wire/cri_log.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cricket::cri::wire {
namespace {

const struct timespec kTs = {1764042308, 5};  // 2025-11-25T03:45:08.000000005Z

TEST(CriLog, TimestampHasNineDigitsUtc) {
  EXPECT_EQ(FormatLogTimestamp(kTs), "2025-11-25T03:45:08.000000005Z");
  auto ns = ParseRfc3339(FormatLogTimestamp(kTs));
  ASSERT_TRUE(ns.ok()) << ns.status();
  EXPECT_EQ(*ns, 1764042308LL * 1000000000 + 5);
}

TEST(CriLog, EncodesTable) {
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
      {"abcd\n", 3, "T stdout P abc\nT stdout F d\n"},
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

// max_line 0 means the default limit: a line of kDefaultMaxLogLine bytes is
// one F line, one byte more is split.
TEST(CriLog, DefaultLineLimit) {
  std::string out;
  EncodeCriLog("stdout", std::string(kDefaultMaxLogLine, 'x') + "\n", kTs, 0, &out);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1);
  out.clear();
  EncodeCriLog("stdout", std::string(kDefaultMaxLogLine + 1, 'x') + "\n", kTs, 0, &out);
  ASSERT_EQ(std::count(out.begin(), out.end(), '\n'), 2);
  auto first = ParseCriLogLine(out.substr(0, out.find('\n')));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(first->partial);
  EXPECT_EQ(first->content.size(), kDefaultMaxLogLine);
}

TEST(CriLog, ParsesWhatItEncodes) {
  std::string out;
  EncodeCriLog("stderr", "oops: x y\n", kTs, 100, &out);
  auto l = ParseCriLogLine(out.substr(0, out.size() - 1));
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_EQ(l->stream, "stderr");
  EXPECT_TRUE(l->is_stderr());
  EXPECT_FALSE(l->partial);
  EXPECT_EQ(l->content, "oops: x y");
  EXPECT_EQ(l->timestamp, FormatLogTimestamp(kTs));
  EXPECT_EQ(l->time_ns, 1764042308LL * 1000000000 + 5);
}

TEST(CriLog, ParsesLines) {
  auto l = ParseCriLogLine("2026-11-25T07:00:00.123456789Z stderr F hello world");
  ASSERT_TRUE(l.ok()) << l.status();
  EXPECT_TRUE(l->is_stderr());
  EXPECT_FALSE(l->partial);
  EXPECT_EQ(l->content, "hello world");
  EXPECT_EQ(l->timestamp, "2026-11-25T07:00:00.123456789Z");
  EXPECT_EQ(l->time_ns % 1000000000, 123456789);
  auto p = ParseCriLogLine("2026-11-25T07:00:00+01:00 stdout P part");
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_TRUE(p->partial);
  EXPECT_FALSE(p->is_stderr());
  auto empty = ParseCriLogLine("2026-11-25T07:00:00Z stdout F");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(empty->content, "");
  // Tags are ':'-separated; the first one says full or partial (as the kubelet reads them).
  auto tagged = ParseCriLogLine("2026-11-25T07:00:00Z stdout P:x more  spaces ");
  ASSERT_TRUE(tagged.ok()) << tagged.status();
  EXPECT_TRUE(tagged->partial);
  EXPECT_EQ(tagged->content, "more  spaces ");
}

TEST(CriLog, RejectsMalformed) {
  struct Case {
    const char* line;
    const char* why;
  } cases[] = {
      {"", "lacks"},
      {"garbage", "lacks"},
      {"nospace", "lacks"},
      {"2026-11-25T07:00:00Z stdout", "lacks"},
      {"2026-11-25T07:00:00Z stdin F x", "stdin"},
      {"2026-11-25T07:00:00Z stdout X x", "\"X\""},
      {"2026-11-25T07:00:00Z stdout Fx", "\"Fx\""},
      {"2026-11-25T07:00:00Z stdout  x", "\"\""},
      {"yesterday stdout F x", "RFC3339"},
      {"2025 stdout F", "RFC3339"},
  };
  for (const auto& c : cases) {
    auto l = ParseCriLogLine(c.line);
    EXPECT_EQ(l.status().code(), absl::StatusCode::kInvalidArgument) << c.line;
    EXPECT_NE(std::string(l.status().message()).find(c.why), std::string::npos)
        << c.line << ": " << l.status();
  }
}

}  // namespace
}  // namespace cricket::cri::wire
