// RFC 6455 framing as both ends speak it: the RFC's own example frames
// (section 5.7), the handshake's example key, masking, fragments around
// control frames, the limits, and frames either side must refuse.
#include "cri/wire/websocket.h"

#include <gtest/gtest.h>

#include "cri/wire/base64.h"
#include "tests/unit/wire/bytes.h"

namespace cricket::cri::wire {
namespace {

const WsMaskKey kRfcKey = {0x37, 0xfa, 0x21, 0x3d};

WsFrame DecodeOne(const std::string& wire, WsSender from = WsSender::kServer) {
  WsDecoder d(from);
  d.Append(wire);
  auto m = d.Next();
  EXPECT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m.ok() && m->has_value());
  return m.ok() && m->has_value() ? **m : WsFrame{};
}

TEST(WebSocket, ParsesTheRfcExamples) {
  size_t used;
  const uint64_t max = 1 << 20;
  auto f = ParseWsFrame(Bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}), &used,
                        WsSender::kServer, max);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->payload, "Hello");
  EXPECT_EQ((*f)->opcode, WsOpcode::kText);
  std::string masked = Bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  f = ParseWsFrame(masked, &used, WsSender::kClient, max);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->payload, "Hello");
  EXPECT_EQ(DecodeOne(masked, WsSender::kClient).payload, "Hello");
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kText, "Hello", kRfcKey), masked);
  // The RFC's masked pong ("Hello") uses the same key.
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kPong, "Hello", kRfcKey),
            Bytes({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kPing, "Hello"),
            Bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  EXPECT_EQ(WsAcceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocket, RfcExtendedLengths) {
  std::string b256(256, 'x');
  std::string f256 = EncodeWsFrame(WsOpcode::kBinary, b256);
  EXPECT_EQ(f256.substr(0, 4), Bytes({0x82, 0x7e, 0x01, 0x00}));
  EXPECT_EQ(DecodeOne(f256).payload, b256);
  std::string b64k(65536, 'y');
  std::string f64k = EncodeWsFrame(WsOpcode::kBinary, b64k);
  EXPECT_EQ(f64k.substr(0, 10), Bytes({0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0}));
  EXPECT_EQ(DecodeOne(f64k).payload, b64k);
  // Masked, the extended length comes before the key.
  std::string m64k = EncodeWsFrame(WsOpcode::kBinary, b64k, kRfcKey);
  EXPECT_EQ(m64k.substr(0, 14), Bytes({0x82, 0xff, 0, 0, 0, 0, 0, 1, 0, 0, 0x37, 0xfa, 0x21, 0x3d}));
  EXPECT_EQ(DecodeOne(m64k, WsSender::kClient).payload, b64k);
}

TEST(WebSocket, MaskingIsAnInvolution) {
  WsMaskKey key = RandomWsMaskKey();
  std::string data = std::string("some stdin bytes \x00\xff", 19), copy = data;
  WsMask(copy, key);
  WsMask(copy, key);
  EXPECT_EQ(copy, data);
  // An offset continues the key where a previous piece stopped.
  std::string whole = data, tail = data.substr(5);
  WsMask(whole, key);
  WsMask(tail, key, 5);
  EXPECT_EQ(whole.substr(5), tail);
}

TEST(WebSocket, ReassemblesFragmentsAroundControlFrames) {
  WsDecoder d(WsSender::kServer);
  d.Append(Bytes({0x01, 0x03, 0x48, 0x65, 0x6c}));
  auto first = d.Next();
  ASSERT_TRUE(first.ok());
  EXPECT_FALSE(first->has_value());  // "Hel" waits for the rest
  // A ping may come between fragments and is delivered at once.
  d.Append(Bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  d.Append(Bytes({0x80, 0x02, 0x6c, 0x6f}));
  auto ping = d.Next();
  ASSERT_TRUE(ping.ok() && ping->has_value());
  EXPECT_EQ((*ping)->opcode, WsOpcode::kPing);
  EXPECT_EQ((*ping)->payload, "Hello");
  auto text = d.Next();
  ASSERT_TRUE(text.ok() && text->has_value());
  EXPECT_EQ((*text)->opcode, WsOpcode::kText);
  EXPECT_EQ((*text)->payload, "Hello");
  auto none = d.Next();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(WebSocket, AssemblerAloneJoinsParsedFrames) {
  WsMessageAssembler a(1 << 20);
  size_t used;
  std::string wire = Bytes({0x01, 0x03, 0x48, 0x65, 0x6c}) + Bytes({0x89, 0x00}) +
                     Bytes({0x80, 0x02, 0x6c, 0x6f});
  std::vector<WsFrame> out;
  std::string_view rest = wire;
  while (!rest.empty()) {
    auto f = ParseWsFrame(rest, &used, WsSender::kServer, 1 << 20);
    ASSERT_TRUE(f.ok() && f->has_value());
    rest.remove_prefix(used);
    auto m = a.Add(std::move(**f));
    ASSERT_TRUE(m.ok());
    if (m->has_value()) out.push_back(**m);
  }
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].opcode, WsOpcode::kPing);
  EXPECT_EQ(out[1].opcode, WsOpcode::kText);
  EXPECT_EQ(out[1].payload, "Hello");
}

TEST(WebSocket, ByteByByteInput) {
  std::string wire = EncodeWsFrame(WsOpcode::kBinary, std::string(300, 'z'));
  WsDecoder d(WsSender::kServer);
  for (size_t i = 0; i + 1 < wire.size(); i++) {
    d.Append(wire.substr(i, 1));
    auto m = d.Next();
    ASSERT_TRUE(m.ok());
    ASSERT_FALSE(m->has_value()) << "at byte " << i;
  }
  d.Append(wire.substr(wire.size() - 1));
  auto m = d.Next();
  ASSERT_TRUE(m.ok() && m->has_value());
  EXPECT_EQ((*m)->payload.size(), 300u);
}

TEST(WebSocket, ClientFramesTheServerRefuses) {
  size_t used;
  const uint64_t max = 1 << 20;
  auto refuse = [&](const std::string& wire) {
    return ParseWsFrame(wire, &used, WsSender::kClient, max).status();
  };
  EXPECT_FALSE(refuse(Bytes({0xc1, 0x80, 0, 0, 0, 0})).ok()) << "RSV1";
  EXPECT_FALSE(refuse(Bytes({0x83, 0x80, 0, 0, 0, 0})).ok()) << "opcode 3";
  EXPECT_FALSE(refuse(Bytes({0x82, 0x00})).ok()) << "unmasked";
  EXPECT_FALSE(refuse(Bytes({0x89, 0xfe, 0, 200})).ok()) << "long ping";
  EXPECT_FALSE(refuse(Bytes({0x09, 0x80, 0, 0, 0, 0})).ok()) << "fragmented ping";
  EXPECT_FALSE(refuse(Bytes({0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0})).ok())
      << "64-bit length with the top bit";
  EXPECT_FALSE(refuse(Bytes({0x82, 0xff, 0, 0, 0, 1, 0, 0, 0, 0})).ok()) << "over the size limit";
  WsMessageAssembler a(max);
  WsFrame cont;
  cont.opcode = WsOpcode::kContinuation;
  EXPECT_FALSE(a.Add(cont).ok()) << "continuation without a start";
  WsFrame start;
  start.opcode = WsOpcode::kText;
  start.fin = false;
  ASSERT_TRUE(a.Add(start).ok());
  EXPECT_FALSE(a.Add(start).ok()) << "new message inside a fragmented one";
}

TEST(WebSocket, ServerFramesTheClientRefusesWithClearErrors) {
  struct Case {
    const char* name;
    std::string wire;
    const char* want;
  } cases[] = {
      {"masked", Bytes({0x82, 0x81, 1, 2, 3, 4, 5}), "masked"},
      {"reserved bits", Bytes({0xc2, 0x00}), "reserved"},
      {"fragmented ping", Bytes({0x09, 0x00}), "control"},
      {"long close", Bytes({0x88, 0x7e, 0x00, 0x80}), "control"},
      {"stray continuation", Bytes({0x80, 0x00}), "continuation"},
      {"unknown opcode", Bytes({0x83, 0x00}), "opcode"},
      {"nested message", Bytes({0x01, 0x01, 'a', 0x81, 0x01, 'b'}), "inside"},
      {"huge length", Bytes({0x82, 0x7f, 0x80, 0, 0, 0, 0, 0, 0, 0}), "64-bit"},
  };
  for (const auto& c : cases) {
    WsDecoder d(WsSender::kServer);
    d.Append(c.wire);
    absl::Status st = absl::OkStatus();
    for (int i = 0; i < 3 && st.ok(); i++) {
      auto m = d.Next();
      if (!m.ok()) st = m.status();
    }
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(std::string(st.message()).find(c.want), std::string::npos) << c.name << ": " << st;
  }
}

// The one message limit (the client took up to 64 MiB, the server 16 MiB): a
// message of max_message bytes passes, in one frame or in fragments; one byte
// more is refused either way.
TEST(WebSocket, MessageLimit) {
  WsDecoder small(WsSender::kServer, 10);
  small.Append(EncodeWsFrame(WsOpcode::kBinary, std::string(11, 'a')));
  EXPECT_FALSE(small.Next().ok());
  WsDecoder exact(WsSender::kServer, 10);
  exact.Append(EncodeWsFrame(WsOpcode::kBinary, std::string(10, 'a')));
  auto m = exact.Next();
  ASSERT_TRUE(m.ok() && m->has_value());
  WsDecoder fragments(WsSender::kServer, 10);
  fragments.Append(EncodeWsFrame(WsOpcode::kBinary, std::string(6, 'a'), std::nullopt, false));
  fragments.Append(EncodeWsFrame(WsOpcode::kContinuation, std::string(5, 'a')));
  auto f = fragments.Next();
  EXPECT_EQ(f.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(f.status().message()).find("too large"), std::string::npos) << f.status();
  // The default is the library's one limit, 16 MiB, and a longer length is
  // refused from the frame header, before the payload arrives.
  EXPECT_EQ(kWsMaxMessage, 0x1000000u);
  WsDecoder dflt(WsSender::kServer);
  dflt.Append(Bytes({0x82, 0x7f, 0, 0, 0, 0, 0x01, 0, 0, 0x01}));
  EXPECT_FALSE(dflt.Next().ok());
  WsDecoder at_limit(WsSender::kServer);
  at_limit.Append(Bytes({0x82, 0x7f, 0, 0, 0, 0, 0x01, 0, 0, 0}));
  auto waits = at_limit.Next();
  ASSERT_TRUE(waits.ok()) << waits.status();
  EXPECT_FALSE(waits->has_value());
}

TEST(WebSocket, ClosePayloadAndKeys) {
  EXPECT_EQ(WsClosePayload(kWsCloseProtocolError, "bye"), Bytes({0x03, 0xea}) + "bye");
  EXPECT_EQ(WsClosePayload(kWsCloseNormal, std::string(200, 'r')).size(), 125u);
  std::string key = NewWsKey();
  EXPECT_EQ(key.size(), 24u);
  auto raw = Base64Decode(key);
  ASSERT_TRUE(raw.has_value());
  EXPECT_EQ(raw->size(), 16u);
  EXPECT_NE(NewWsKey(), key);
}

}  // namespace
}  // namespace cricket::cri::wire
