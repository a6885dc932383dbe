// RFC 6455 framing: the RFC's own example frames (section 5.7), the opening
// handshake's example key, masking, fragments, and malformed server frames.
#include "cri/client/websocket_frame.h"

#include <gtest/gtest.h>

#include "cri/client/websocket_handshake.h"

namespace cricket::cri::client {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s += static_cast<char>(c);
  return s;
}

WsMessage DecodeOne(const std::string& wire) {
  WsDecoder d;
  d.Append(wire);
  auto m = d.Next();
  EXPECT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m->has_value());
  return **m;
}

TEST(WebSocketFrame, RfcSingleFrameUnmaskedText) {
  WsMessage m = DecodeOne(Bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  EXPECT_EQ(m.opcode, WsOpcode::kText);
  EXPECT_EQ(m.payload, "Hello");
}

TEST(WebSocketFrame, RfcSingleFrameMaskedTextEncodes) {
  WsMaskKey key = {0x37, 0xfa, 0x21, 0x3d};
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kText, "Hello", key),
            Bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
  // The RFC's masked pong ("Hello") uses the same key.
  EXPECT_EQ(EncodeWsFrame(WsOpcode::kPong, "Hello", key),
            Bytes({0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
}

TEST(WebSocketFrame, MaskingIsAnInvolution) {
  WsMaskKey key = RandomWsMaskKey();
  std::string data = "some stdin bytes \x00\xff", copy = data;
  WsMask(copy, key);
  WsMask(copy, key);
  EXPECT_EQ(copy, data);
}

TEST(WebSocketFrame, RfcFragmentedTextIsReassembled) {
  WsDecoder d;
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
}

TEST(WebSocketFrame, RfcExtendedLengths) {
  std::string b256(256, 'x');
  std::string f256 = EncodeWsFrame(WsOpcode::kBinary, b256, std::nullopt);
  EXPECT_EQ(f256.substr(0, 4), Bytes({0x82, 0x7e, 0x01, 0x00}));
  EXPECT_EQ(DecodeOne(f256).payload, b256);
  std::string b64k(65536, 'y');
  std::string f64k = EncodeWsFrame(WsOpcode::kBinary, b64k, std::nullopt);
  EXPECT_EQ(f64k.substr(0, 10), Bytes({0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0}));
  EXPECT_EQ(DecodeOne(f64k).payload, b64k);
}

TEST(WebSocketFrame, ByteByByteInput) {
  std::string wire = EncodeWsFrame(WsOpcode::kBinary, std::string(300, 'z'), std::nullopt);
  WsDecoder d;
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

TEST(WebSocketFrame, MalformedServerFramesAreClearErrors) {
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
    WsDecoder d;
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

TEST(WebSocketFrame, MessageLimit) {
  WsDecoder d;
  d.max_message = 10;
  d.Append(EncodeWsFrame(WsOpcode::kBinary, std::string(11, 'a'), std::nullopt));
  EXPECT_FALSE(d.Next().ok());
}

TEST(WebSocketHandshake, RfcAcceptExample) {
  EXPECT_EQ(WsAcceptFor("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocketHandshake, RequestAndAnswerChecks) {
  StreamUrl url{"127.0.0.1", 4242, "/exec/tok"};
  std::string key = NewWsKey();
  EXPECT_EQ(key.size(), 24u);
  std::string req = WsUpgradeRequest(url, key, {"v5.channel.k8s.io", "v4.channel.k8s.io"});
  EXPECT_TRUE(req.starts_with("GET /exec/tok HTTP/1.1\r\n"));
  EXPECT_NE(req.find("Sec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io\r\n"),
            std::string::npos);
  EXPECT_NE(req.find("Host: 127.0.0.1:4242\r\n"), std::string::npos);
  HttpResponseHead head;
  head.status = 101;
  head.headers = {{"upgrade", "websocket"},
                  {"sec-websocket-accept", WsAcceptFor(key)},
                  {"sec-websocket-protocol", "v4.channel.k8s.io"}};
  auto proto = CheckWsUpgrade(head, key, {"v5.channel.k8s.io", "v4.channel.k8s.io"});
  ASSERT_TRUE(proto.ok()) << proto.status();
  EXPECT_EQ(*proto, "v4.channel.k8s.io");
  head.headers[1].second = WsAcceptFor("other");
  EXPECT_FALSE(CheckWsUpgrade(head, key, {"v4.channel.k8s.io"}).ok());
  head.headers[1].second = WsAcceptFor(key);
  EXPECT_FALSE(CheckWsUpgrade(head, key, {"v5.channel.k8s.io"}).ok());  // not offered
}

}  // namespace
}  // namespace cricket::cri::client
