// --since parsing and the selection `logs` prints (the lines themselves are
// cri/wire's, tested in tests/unit/wire).
#include "cri/client/cri_log_reader.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace cricket::cri::client {
namespace {

TEST(CriLog, Since) {
  const int64_t now = 1000LL * 1000000000;
  EXPECT_EQ(*ParseSince("10s", now), now - 10LL * 1000000000);
  EXPECT_EQ(*ParseSince("1h30m", now), now - 5400LL * 1000000000);
  EXPECT_EQ(*ParseSince("500ms", now), now - 500000000);
  EXPECT_EQ(*ParseSince("1970-01-01T00:01:00Z", now), 60LL * 1000000000);
  EXPECT_EQ(*ParseSince("1970-01-01T01:01:00+01:00", now), 60LL * 1000000000);
  auto bad = ParseSince("yesterday", now);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(std::string(bad.status().message()).find("yesterday"), std::string::npos);
}

using Out = std::vector<std::pair<bool, std::string>>;

Out Print(const std::string& text, LogOptions o) {
  Out out;
  CriLogPrinter p(o, [&](bool err, const std::string& t) { out.emplace_back(err, t); });
  p.FeedInitial(text);
  return out;
}

const char kLog[] =
    "1970-01-01T00:00:01Z stdout F one\n"
    "1970-01-01T00:00:02Z stdout P tw\n"
    "1970-01-01T00:00:02Z stdout F o\n"
    "1970-01-01T00:00:03Z stderr F three\n"
    "1970-01-01T00:00:04Z stdout F four\n";

TEST(CriLog, JoinsPartialsAndSplitsStreams) {
  Out out = Print(kLog, {});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[1], std::make_pair(false, std::string("two\n")));
  EXPECT_EQ(out[2], std::make_pair(true, std::string("three\n")));
}

TEST(CriLog, TailSinceTimestamps) {
  LogOptions tail;
  tail.tail = 2;
  Out out = Print(kLog, tail);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].second, "three\n");
  LogOptions since;
  since.since_ns = 2LL * 1000000000;
  out = Print(kLog, since);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].second, "two\n");
  LogOptions ts;
  ts.timestamps = true;
  ts.tail = 1;
  out = Print(kLog, ts);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].second, "1970-01-01T00:00:04Z four\n");
  LogOptions none;
  none.tail = 0;
  EXPECT_TRUE(Print(kLog, none).empty());
}

TEST(CriLog, FollowFeedsIncompleteLines) {
  Out out;
  CriLogPrinter p({}, [&](bool err, const std::string& t) { out.emplace_back(err, t); });
  p.FeedInitial("1970-01-01T00:00:01Z stdout F a\n1970-01-01T00:00:02Z std");
  ASSERT_EQ(out.size(), 1u);
  p.Feed("out F b\n");
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].second, "b\n");
}

}  // namespace
}  // namespace cricket::cri::client
