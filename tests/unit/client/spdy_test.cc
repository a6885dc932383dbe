// SPDY/3.1: the dictionary, header blocks through the dictionary-primed zlib
// streams, frame parsing, and the client session's reactions to frames.
#include <gtest/gtest.h>
#include <zlib.h>

#include "cri/client/spdy_dictionary.h"
#include "cri/client/spdy_frame.h"
#include "cri/client/spdy_header_codec.h"
#include "cri/client/spdy_session.h"

namespace cricket::cri::client {
namespace {

TEST(SpdyDictionary, IsTheSpecsDictionary) {
  const std::string& d = SpdyDictionary();
  EXPECT_EQ(d.size(), 1423u);
  // zlib's DICTID of the SPDY/3 dictionary: every SPDY/3 header block on the
  // wire starts 78 bb e3 c6 a7 c2.
  EXPECT_EQ(adler32(1, reinterpret_cast<const Bytef*>(d.data()), d.size()), 0xe3c6a7c2u);
}

TEST(SpdyHeaders, RoundTripThroughSessionStreams) {
  auto deflate = SpdyHeaderCompressor::Make();
  auto inflate = SpdyHeaderDecompressor::Make();
  ASSERT_TRUE(deflate.ok() && inflate.ok());
  SpdyHeaders first = {{"StreamType", "error"}, {"port", "80"}, {"requestid", "0"}};
  auto c1 = (*deflate)->Compress(first);
  ASSERT_TRUE(c1.ok());
  EXPECT_EQ(c1->substr(0, 6), std::string("\x78\xbb\xe3\xc6\xa7\xc2", 6));
  // The second block continues the same zlib stream (no new zlib header).
  SpdyHeaders second = {{"streamtype", "data"}, {"x", "a"}, {"x", "b"}};
  auto c2 = (*deflate)->Compress(second);
  ASSERT_TRUE(c2.ok());
  auto h1 = (*inflate)->Decompress(*c1);
  ASSERT_TRUE(h1.ok()) << h1.status();
  EXPECT_EQ(*h1, (SpdyHeaders{{"streamtype", "error"}, {"port", "80"}, {"requestid", "0"}}));
  auto h2 = (*inflate)->Decompress(*c2);
  ASSERT_TRUE(h2.ok()) << h2.status();
  EXPECT_EQ(*h2, second);  // repeated names travel NUL-joined and come back apart
}

TEST(SpdyHeaders, MalformedBlocks) {
  EXPECT_FALSE(DecodeHeaderBlock("").ok());
  EXPECT_FALSE(DecodeHeaderBlock(std::string("\0\0\0\1\0\0\0\5ab", 10)).ok());
  EXPECT_FALSE(DecodeHeaderBlock(std::string("\xff\xff\xff\xff", 4)).ok());
  auto inflate = SpdyHeaderDecompressor::Make();
  ASSERT_TRUE(inflate.ok());
  EXPECT_EQ((*inflate)->Decompress("not zlib at all").status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(SpdyFrame, ParseDataAndControl) {
  std::string wire = EncodeSpdyData(3, kSpdyFlagFin, "abc") + SpdyPing(2);
  size_t used = 0;
  auto f = ParseSpdyFrame(wire, &used);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_FALSE((*f)->control);
  EXPECT_EQ((*f)->stream_id, 3u);
  EXPECT_EQ((*f)->flags, kSpdyFlagFin);
  EXPECT_EQ((*f)->payload, "abc");
  EXPECT_EQ(used, 11u);
  auto g = ParseSpdyFrame(std::string_view(wire).substr(used), &used);
  ASSERT_TRUE(g.ok() && g->has_value());
  EXPECT_TRUE((*g)->control);
  EXPECT_EQ((*g)->type, static_cast<uint16_t>(SpdyType::kPing));
  // Incomplete: wait for more.
  auto h = ParseSpdyFrame(wire.substr(0, 10), &used);
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->has_value());
  EXPECT_EQ(used, 0u);
}

TEST(SpdyFrame, MalformedFrames) {
  size_t used = 0;
  // Version 2 control frame.
  EXPECT_FALSE(
      ParseSpdyFrame(std::string("\x80\x02\x00\x06\x00\x00\x00\x04\0\0\0\1", 12), &used).ok());
  // Data on stream 0.
  EXPECT_FALSE(ParseSpdyFrame(std::string("\0\0\0\0\0\0\0\0", 8), &used).ok());
}

// The server's half of a session, built from the same codecs.
std::string ServerReply(SpdyHeaderCompressor& deflate, uint32_t id) {
  auto block = deflate.Compress({{"status", "200"}});
  std::string body = {0, 0, 0, static_cast<char>(id)};
  return EncodeSpdyControl(SpdyType::kSynReply, 0, body + *block);
}

TEST(SpdySession, StreamsDataPingAndFlowControl) {
  auto s = SpdyClientSession::Make();
  ASSERT_TRUE(s.ok());
  SpdyClientSession& session = **s;
  auto a = session.OpenStream({{"streamtype", "error"}});
  auto b = session.OpenStream({{"streamtype", "stdin"}});
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, 1u);
  EXPECT_EQ(*b, 3u);
  // The outbox holds two SYN_STREAMs whose headers a server can read.
  auto server_inflate = SpdyHeaderDecompressor::Make();
  std::string out = session.outbox();
  size_t used = 0;
  auto syn = ParseSpdyFrame(out, &used);
  ASSERT_TRUE(syn.ok() && syn->has_value());
  EXPECT_EQ((*syn)->type, static_cast<uint16_t>(SpdyType::kSynStream));
  auto headers = (*server_inflate)->Decompress(std::string_view((*syn)->payload).substr(10));
  ASSERT_TRUE(headers.ok()) << headers.status();
  EXPECT_EQ(*headers, (SpdyHeaders{{"streamtype", "error"}}));
  session.outbox().clear();

  // Without a WINDOW_UPDATE from the peer, windows are not enforced (spdystream peers).
  EXPECT_GT(session.SendWindow(3), 1 << 20);
  auto server_deflate = SpdyHeaderCompressor::Make();
  std::string in = ServerReply(**server_deflate, 1) + EncodeSpdyData(1, 0, "oops") +
                   EncodeSpdyData(1, kSpdyFlagFin, "") + SpdyPing(4) + SpdyWindowUpdate(3, 10);
  std::vector<SpdyEvent> events;
  // Split the input anywhere: frames are reassembled.
  ASSERT_TRUE(session.Feed(in.substr(0, 7), &events).ok());
  ASSERT_TRUE(session.Feed(in.substr(7), &events).ok());
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, SpdyEvent::kReply);
  EXPECT_EQ(events[1].kind, SpdyEvent::kData);
  EXPECT_EQ(events[1].data, "oops");
  EXPECT_EQ(events[2].kind, SpdyEvent::kFin);
  // We gave the window back and echoed the server's ping.
  EXPECT_NE(session.outbox().find(SpdyWindowUpdate(1, 4)), std::string::npos);
  EXPECT_NE(session.outbox().find(SpdyPing(4)), std::string::npos);
  // Now the peer does flow control: 64 KiB + 10 for stream 3.
  EXPECT_EQ(session.SendWindow(3), 64 * 1024 + 10);
  ASSERT_TRUE(session.Write(3, std::string(1000, 'x')).ok());
  EXPECT_EQ(session.SendWindow(3), 64 * 1024 + 10 - 1000);
  ASSERT_TRUE(session.CloseWrite(3).ok());
  EXPECT_EQ(session.SendWindow(3), 0);
  EXPECT_FALSE(session.Write(3, "late").ok());
}

TEST(SpdySession, GarbageIsAnErrorNotACrash) {
  auto s = SpdyClientSession::Make();
  ASSERT_TRUE(s.ok());
  std::vector<SpdyEvent> events;
  EXPECT_FALSE((*s)->Feed(std::string("\x80\x03\x00\x02\x00\x00\x00\x02\x00\x00", 10), &events)
                   .ok());  // SYN_REPLY too short for its stream id
  auto t = SpdyClientSession::Make();
  std::string bad_headers =
      std::string("\x80\x03\x00\x02\x00\x00\x00\x08\x00\x00\x00\x01", 12) + "junkjunk";
  EXPECT_FALSE((*t)->Feed(bad_headers, &events).ok());
}

}  // namespace
}  // namespace cricket::cri::client
