// SPDY/3.1 as both ends speak it: the dictionary, frames, the typed control
// payloads, header blocks through one zlib stream per direction, the limits
// and malformed input.
#include <gtest/gtest.h>
#include <zlib.h>

#include "cri/wire/spdy_frame.h"
#include "cri/wire/spdy_headers.h"
#include "tests/unit/wire/bytes.h"

namespace cricket::cri::wire {
namespace {

TEST(SpdyDictionary, IsDraft3s) {
  const std::string& d = SpdyDictionary();
  EXPECT_EQ(d.size(), 1423u);
  EXPECT_EQ(d.substr(0, 11), Bytes({0, 0, 0, 7}) + "options");
  EXPECT_EQ(d.substr(d.size() - 6), "enq=0.");
  // zlib's DICTID of the SPDY/3 dictionary: every SPDY/3 header block on the
  // wire starts 78 bb e3 c6 a7 c2.
  EXPECT_EQ(adler32(1, reinterpret_cast<const Bytef*>(d.data()), d.size()), 0xe3c6a7c2u);
}

TEST(SpdyFrame, EncodesAndParsesFrames) {
  std::string data = EncodeSpdyData(5, kSpdyFlagFin, "hi");
  EXPECT_EQ(data, Bytes({0, 0, 0, 5, 1, 0, 0, 2}) + "hi");
  std::string ping = EncodeSpdyControl(kPing, 0, Bytes({0, 0, 0, 1}));
  EXPECT_EQ(ping.substr(0, 8), Bytes({0x80, 3, 0, 6, 0, 0, 0, 4}));
  EXPECT_EQ(ping, SpdyPing(1));
  std::string both = data + ping;
  size_t used = 0;
  auto f = ParseSpdyFrame(both, &used);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_FALSE((*f)->control);
  EXPECT_EQ((*f)->stream_id, 5u);
  EXPECT_EQ((*f)->flags, kSpdyFlagFin);
  EXPECT_EQ((*f)->payload, "hi");
  EXPECT_EQ(used, 10u);
  f = ParseSpdyFrame(std::string_view(both).substr(used), &used);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_TRUE((*f)->control);
  EXPECT_EQ((*f)->type, kPing);
  // Incomplete frames wait for more bytes, header or payload.
  for (size_t n : {size_t{0}, size_t{7}, size_t{9}}) {
    f = ParseSpdyFrame(ping.substr(0, n), &used);
    ASSERT_TRUE(f.ok());
    EXPECT_FALSE(f->has_value()) << n;
    EXPECT_EQ(used, 0u);
  }
}

TEST(SpdyFrame, ControlFramesParseBack) {
  size_t used = 0;
  struct Case {
    std::string frame;
    uint16_t type;
    std::pair<uint32_t, uint32_t> words;
  } cases[] = {
      {SpdyRstStream(3, kRstCancel), kRstStream, {3, kRstCancel}},
      {SpdyWindowUpdate(0, 4096), kWindowUpdate, {0, 4096}},
      {SpdyGoAway(7, kRstProtocolError), kGoAway, {7, kRstProtocolError}},
  };
  for (const auto& c : cases) {
    auto f = ParseSpdyFrame(c.frame, &used);
    ASSERT_TRUE(f.ok() && f->has_value());
    EXPECT_EQ((*f)->type, c.type);
    auto w = ParseTwoWords((*f)->payload);
    ASSERT_TRUE(w.ok()) << w.status();
    EXPECT_EQ(*w, c.words);
  }
  auto syn = ParseSpdyFrame(SpdySynStream(9, kSpdyFlagFin, "block"), &used);
  ASSERT_TRUE(syn.ok() && syn->has_value());
  EXPECT_EQ((*syn)->flags, kSpdyFlagFin);
  auto s = ParseSynStream((*syn)->payload);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->stream_id, 9u);
  EXPECT_EQ(s->header_block, "block");
  auto reply = ParseSpdyFrame(SpdySynReply(9, 0, "hdrs"), &used);
  ASSERT_TRUE(reply.ok() && reply->has_value());
  auto h = ParseStreamHeaders((*reply)->payload);
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(*h, std::make_pair(uint32_t{9}, std::string("hdrs")));
}

TEST(SpdyFrame, RefusesBadFrames) {
  size_t used;
  EXPECT_FALSE(ParseSpdyFrame(Bytes({0x80, 2, 0, 1, 0, 0, 0, 0}), &used).ok()) << "version 2";
  EXPECT_FALSE(
      ParseSpdyFrame(std::string("\x80\x02\x00\x06\x00\x00\x00\x04\0\0\0\1", 12), &used).ok())
      << "version 2 ping";
  EXPECT_FALSE(ParseSpdyFrame(Bytes({0, 0, 0, 1, 0, 0xff, 0xff, 0xff}), &used).ok()) << "16 MiB";
  EXPECT_FALSE(ParseSynStream("short").ok());
  EXPECT_FALSE(ParseSynStream(std::string(10, '\0')).ok()) << "stream 0";
  EXPECT_FALSE(ParseStreamHeaders("abc").ok());
  EXPECT_FALSE(ParseTwoWords("123").ok());
  EXPECT_FALSE(ParseTwoWords("123456789").ok());
  EXPECT_FALSE(ParseSettings(Bytes({0, 0, 0, 9, 1, 2})).ok());
  EXPECT_FALSE(ParseSettings(Bytes({0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})).ok()) << "huge count";
  auto s = ParseSettings(SettingsPayload({{kSettingsInitialWindowSize, 1 << 20}}));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)[0], std::make_pair(kSettingsInitialWindowSize, uint32_t{1 << 20}));
}

// The one frame limit both ends apply (the client took up to 16 MiB, the
// server 4 MiB): a 4 MiB frame is read, one byte more is refused from its
// header alone.
TEST(SpdyFrame, LengthLimit) {
  constexpr uint32_t kLimit = 4 << 20;
  EXPECT_EQ(kSpdyMaxFrameLength, kLimit);
  size_t used = 0;
  std::string at_limit = EncodeSpdyData(1, 0, std::string(kLimit, 'x'));
  auto f = ParseSpdyFrame(at_limit, &used);
  ASSERT_TRUE(f.ok() && f->has_value()) << f.status();
  EXPECT_EQ(used, at_limit.size());
  std::string over = EncodeSpdyData(1, 0, std::string(kLimit + 1, 'x'));
  auto g = ParseSpdyFrame(over.substr(0, 8), &used);
  EXPECT_EQ(g.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(g.status().message()).find("too long"), std::string::npos) << g.status();
  // Data on stream 0 is framing-wise fine; what to do with it is the session's.
  auto zero = ParseSpdyFrame(std::string("\0\0\0\0\0\0\0\0", 8), &used);
  ASSERT_TRUE(zero.ok() && zero->has_value());
}

TEST(SpdyHeaders, RoundTripThroughOneZlibStream) {
  SpdyHeaderCompressor c;
  SpdyHeaderDecompressor d;
  for (int i = 0; i < 3; i++) {
    SpdyHeaders h = {{"streamtype", "error"}, {"port", std::to_string(8080 + i)},
                     {"requestid", std::to_string(i)}, {"multi", std::string("a\0b", 3)}};
    auto block = c.Compress(h);
    ASSERT_TRUE(block.ok());
    if (i == 0) {
      EXPECT_EQ(block->substr(0, 6), std::string("\x78\xbb\xe3\xc6\xa7\xc2", 6));
    }
    auto back = d.Decompress(*block);
    ASSERT_TRUE(back.ok()) << back.status();
    // A NUL-joined value comes back as one entry a value.
    SpdyHeaders want = {h[0], h[1], h[2], {"multi", "a"}, {"multi", "b"}};
    EXPECT_EQ(*back, want);
    EXPECT_EQ(SpdyHeaderValue(*back, "StreamType"), "error");
    EXPECT_EQ(SpdyHeaderValue(*back, "multi"), "a");
    EXPECT_EQ(SpdyHeaderValue(*back, "absent"), "");
  }
}

TEST(SpdyHeaders, NamesAreLowerCasedAndRepeatsJoined) {
  SpdyHeaderCompressor deflate;
  SpdyHeaderDecompressor inflate;
  SpdyHeaders first = {{"StreamType", "error"}, {"port", "80"}, {"requestid", "0"}};
  auto c1 = deflate.Compress(first);
  ASSERT_TRUE(c1.ok());
  // The second block continues the same zlib stream (no new zlib header).
  SpdyHeaders second = {{"streamtype", "data"}, {"x", "a"}, {"x", "b"}};
  auto c2 = deflate.Compress(second);
  ASSERT_TRUE(c2.ok());
  EXPECT_NE(c2->substr(0, 2), "\x78\xbb");
  auto h1 = inflate.Decompress(*c1);
  ASSERT_TRUE(h1.ok()) << h1.status();
  EXPECT_EQ(*h1, (SpdyHeaders{{"streamtype", "error"}, {"port", "80"}, {"requestid", "0"}}));
  auto h2 = inflate.Decompress(*c2);
  ASSERT_TRUE(h2.ok()) << h2.status();
  EXPECT_EQ(*h2, second);  // repeated names travel NUL-joined and come back apart
  EXPECT_EQ(EncodeHeaderBlock(second),
            Bytes({0, 0, 0, 2, 0, 0, 0, 10}) + "streamtype" + Bytes({0, 0, 0, 4}) + "data" +
                Bytes({0, 0, 0, 1}) + "x" + Bytes({0, 0, 0, 3}) + std::string("a\0b", 3));
}

TEST(SpdyHeaders, MalformedBlocks) {
  EXPECT_FALSE(DecodeHeaderBlock("").ok());
  EXPECT_FALSE(DecodeHeaderBlock(std::string("\0\0\0\1\0\0\0\5ab", 10)).ok());
  EXPECT_FALSE(DecodeHeaderBlock(std::string("\xff\xff\xff\xff", 4)).ok());
  EXPECT_FALSE(DecodeHeaderBlock(Bytes({0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0})).ok()) << "no name";
  SpdyHeaderDecompressor fresh;
  EXPECT_EQ(fresh.Decompress("not zlib at all").status().code(),
            absl::StatusCode::kInvalidArgument);
  // The zlib stream is shared by the connection: once broken, it stays broken.
  SpdyHeaderCompressor c;
  auto good = c.Compress({{"a", "b"}});
  ASSERT_TRUE(good.ok());
  EXPECT_FALSE(fresh.Decompress(*good).ok());
  // A block that inflates to a truncated name/value list.
  SpdyHeaderCompressor c2;
  auto block = c2.Compress({{"a", "b"}});
  SpdyHeaderDecompressor d2;
  EXPECT_FALSE(d2.Decompress(block->substr(0, block->size() / 2)).ok());
}

// The one header block limit (the client took up to 1 MiB, the server 256
// KiB): what inflates to 256 KiB is read, a small block that inflates past it
// (a zlib bomb) is refused.
TEST(SpdyHeaders, InflatedSizeLimit) {
  constexpr size_t kLimit = 256 * 1024;
  EXPECT_EQ(kSpdyMaxHeaderBlock, kLimit);
  // 4 + 4 + 1 + 4 + value bytes = the plain block's size.
  const size_t fits = kLimit - 13;
  SpdyHeaderCompressor c;
  auto at_limit = c.Compress({{"a", std::string(fits, 'v')}});
  ASSERT_TRUE(at_limit.ok());
  SpdyHeaderDecompressor d;
  auto back = d.Decompress(*at_limit);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ((*back)[0].second.size(), fits);
  SpdyHeaderCompressor c2;
  auto bomb = c2.Compress({{"a", std::string(fits + 1, 'v')}});
  ASSERT_TRUE(bomb.ok());
  EXPECT_LT(bomb->size(), 2048u);
  SpdyHeaderDecompressor d2;
  auto refused = d2.Decompress(*bomb);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(refused.status().message()).find("too large"), std::string::npos);
}

}  // namespace
}  // namespace cricket::cri::wire
