// The client's SPDY/3.1 session: its reactions to frames (the frames and
// header blocks themselves are cri/wire's, tested in tests/unit/wire).
#include "cri/client/spdy_session.h"

#include <gtest/gtest.h>

#include "cri/wire/spdy_frame.h"
#include "cri/wire/spdy_headers.h"

namespace cricket::cri::client {
namespace {

using wire::EncodeSpdyControl;
using wire::EncodeSpdyData;
using wire::kSpdyFlagFin;
using wire::ParseSpdyFrame;
using wire::SpdyHeaderCompressor;
using wire::SpdyHeaderDecompressor;
using wire::SpdyHeaders;
using wire::SpdyPing;
using wire::SpdyType;
using wire::SpdyWindowUpdate;

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
  SpdyHeaderDecompressor server_inflate;
  std::string out = session.outbox();
  size_t used = 0;
  auto syn = ParseSpdyFrame(out, &used);
  ASSERT_TRUE(syn.ok() && syn->has_value());
  EXPECT_EQ((*syn)->type, static_cast<uint16_t>(SpdyType::kSynStream));
  auto headers = server_inflate.Decompress(std::string_view((*syn)->payload).substr(10));
  ASSERT_TRUE(headers.ok()) << headers.status();
  EXPECT_EQ(*headers, (SpdyHeaders{{"streamtype", "error"}}));
  session.outbox().clear();

  // Without a WINDOW_UPDATE from the peer, windows are not enforced (spdystream peers).
  EXPECT_GT(session.SendWindow(3), 1 << 20);
  SpdyHeaderCompressor server_deflate;
  std::string in = ServerReply(server_deflate, 1) + EncodeSpdyData(1, 0, "oops") +
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
  // Data on stream 0 (the framing is fine, the session refuses it).
  auto u = SpdyClientSession::Make();
  ASSERT_TRUE(u.ok());
  EXPECT_FALSE((*u)->Feed(std::string("\0\0\0\0\0\0\0\0", 8), &events).ok());
}

}  // namespace
}  // namespace cricket::cri::client
