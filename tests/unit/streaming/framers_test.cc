// The streaming server's pure parts: HTTP heads, tokens, SPDY frames and
// zlib header blocks, RFC 6455 frames (the RFC's own examples), status JSON
// and resize decoding.
#include <gtest/gtest.h>

#include "cri/streaming/base64.h"
#include "cri/streaming/handshake.h"
#include "cri/streaming/http_request.h"
#include "cri/streaming/remote_command.h"
#include "cri/streaming/spdy_frame.h"
#include "cri/streaming/token_cache.h"
#include "cri/streaming/websocket.h"

namespace cricket::cri::streaming {
namespace {

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int c : b) s.push_back(static_cast<char>(c));
  return s;
}

TEST(HttpRequest, ParsesHeadQueryAndTokens) {
  std::string head =
      "POST /exec/abc%2Bd?command=ls&command=-l&port=80,81&x=a+b HTTP/1.1\r\n"
      "Host: 127.0.0.1\r\nConnection: keep-alive, Upgrade\r\nUpgrade: SPDY/3.1\r\n"
      "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n"
      "X-Stream-Protocol-Version: v3.channel.k8s.io, v2.channel.k8s.io\r\n\r\n";
  ASSERT_EQ(FindHeadEnd(head + "extra"), head.size());
  auto r = ParseHttpRequest(head);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->method, "POST");
  EXPECT_EQ(r->path, "/exec/abc+d");
  EXPECT_EQ(r->QueryValues("command"), (std::vector<std::string>{"ls", "-l"}));
  EXPECT_EQ(r->QueryValues("x"), (std::vector<std::string>{"a b"}));
  EXPECT_EQ(r->Header("upgrade"), "SPDY/3.1");
  EXPECT_TRUE(r->HeaderHasToken("connection", "upgrade"));
  EXPECT_EQ(r->HeaderTokens("X-Stream-Protocol-Version").size(), 3u);
  EXPECT_EQ(UpgradeKind(*r), Upgrade::kSpdy);
}

TEST(HttpRequest, RefusesMalformedHeads) {
  for (const char* bad : {
           "GET /x\r\n\r\n",                                   // no version
           "GET /x HTTP/2.0\r\n\r\n",                          // unsupported version
           "G(T /x HTTP/1.1\r\n\r\n",                          // bad method
           "GET x HTTP/1.1\r\n\r\n",                           // not an absolute path
           "GET /x HTTP/1.1\r\nNoColon\r\n\r\n",               // header without a colon
           "GET /x HTTP/1.1\r\n: v\r\n\r\n",                   // empty header name
           "GET /x HTTP/1.1\r\nA b: c\r\n\r\n",                // space in a name
           "GET /x HTTP/1.1\r\nA: b\x01" "c\r\n\r\n",          // control char in a value
           "GET /x%zz HTTP/1.1\r\n\r\n",                       // bad escape
           "GET /x% HTTP/1.1\r\n\r\n",                         // truncated escape
           "GET /x HTTP/1.1\r\nA: b\r\n",                      // no blank line
       }) {
    EXPECT_FALSE(ParseHttpRequest(bad).ok()) << bad;
  }
  EXPECT_FALSE(ParseHttpRequest(std::string(kMaxRequestHead + 1, 'a')).ok());
}

TEST(HttpRequest, ErrorResponseIsCompleteHttp) {
  std::string r = HttpErrorResponse(404, "gone");
  EXPECT_EQ(r.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u);
  EXPECT_NE(r.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_EQ(r.substr(r.size() - 5), "gone\n");
}

TEST(TokenCache, SingleUseAndExpiry) {
  auto now = std::chrono::steady_clock::now();
  TokenCache cache(std::chrono::seconds(60), [&] { return now; });
  runtime::v1::ExecRequest req;
  req.set_container_id("c1");
  auto t = cache.Insert(req);
  ASSERT_TRUE(t.ok());
  EXPECT_GE(t->size(), 20u);
  auto got = cache.Consume(*t);
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(std::get<runtime::v1::ExecRequest>(*got).container_id(), "c1");
  EXPECT_FALSE(cache.Consume(*t).has_value()) << "reused token";
  EXPECT_FALSE(cache.Consume("unknown").has_value());
  auto t2 = cache.Insert(req);
  now += std::chrono::seconds(61);
  EXPECT_FALSE(cache.Consume(*t2).has_value()) << "expired token";
  EXPECT_NE(*cache.Insert(req), *cache.Insert(req));
}

TEST(TokenCache, LimitsRequestsInFlight) {
  TokenCache cache(std::chrono::seconds(60));
  for (size_t i = 0; i < TokenCache::kMaxInFlight; i++) ASSERT_TRUE(cache.Insert({}).ok());
  EXPECT_EQ(cache.Insert({}).status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(Base64, RoundTripsAndRejectsGarbage) {
  EXPECT_EQ(Base64Encode("hello!?"), "aGVsbG8hPw==");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  for (std::string s : std::vector<std::string>{"", "a", "ab", "abc", std::string("\0\xff\x10", 3)}) {
    EXPECT_EQ(Base64Decode(Base64Encode(s)), s);
  }
  EXPECT_FALSE(Base64Decode("a$==").has_value());
  EXPECT_FALSE(Base64Decode("a").has_value());
}

TEST(SpdyFrame, DictionaryIsDraft3s) {
  const std::string& d = SpdyDictionary();
  EXPECT_EQ(d.size(), 1423u);
  EXPECT_EQ(d.substr(0, 11), Bytes({0, 0, 0, 7}) + "options");
  EXPECT_EQ(d.substr(d.size() - 6), "enq=0.");
}

TEST(SpdyFrame, EncodesAndParsesFrames) {
  std::string data = EncodeSpdyData(5, kSpdyFlagFin, "hi");
  EXPECT_EQ(data, Bytes({0, 0, 0, 5, 1, 0, 0, 2}) + "hi");
  std::string ping = EncodeSpdyControl(kPing, 0, Bytes({0, 0, 0, 1}));
  EXPECT_EQ(ping.substr(0, 8), Bytes({0x80, 3, 0, 6, 0, 0, 0, 4}));
  std::string both = data + ping;
  size_t used = 0;
  auto f = ParseSpdyFrame(both, &used);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_FALSE((*f)->control);
  EXPECT_EQ((*f)->stream_id, 5u);
  EXPECT_EQ((*f)->flags, kSpdyFlagFin);
  EXPECT_EQ((*f)->payload, "hi");
  f = ParseSpdyFrame(std::string_view(both).substr(used), &used);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->type, kPing);
  // Incomplete frames wait for more bytes.
  f = ParseSpdyFrame(ping.substr(0, 9), &used);
  ASSERT_TRUE(f.ok());
  EXPECT_FALSE(f->has_value());
}

TEST(SpdyFrame, RefusesBadFrames) {
  size_t used;
  EXPECT_FALSE(ParseSpdyFrame(Bytes({0x80, 2, 0, 1, 0, 0, 0, 0}), &used).ok()) << "version 2";
  EXPECT_FALSE(ParseSpdyFrame(Bytes({0, 0, 0, 1, 0, 0xff, 0xff, 0xff}), &used).ok()) << "16 MiB";
  EXPECT_FALSE(ParseSynStream("short").ok());
  EXPECT_FALSE(ParseTwoWords("123").ok());
  EXPECT_FALSE(ParseSettings(Bytes({0, 0, 0, 9, 1, 2})).ok());
  auto s = ParseSettings(SettingsPayload({{kSettingsInitialWindowSize, 1 << 20}}));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)[0], std::make_pair(kSettingsInitialWindowSize, uint32_t{1 << 20}));
}

TEST(SpdyFrame, HeaderBlocksRoundTripThroughOneZlibStream) {
  SpdyHeaderCompressor c;
  SpdyHeaderDecompressor d;
  for (int i = 0; i < 3; i++) {
    SpdyHeaders h = {{"streamtype", "error"}, {"port", std::to_string(8080 + i)},
                     {"requestid", std::to_string(i)}, {"multi", std::string("a\0b", 3)}};
    auto block = c.Compress(h);
    ASSERT_TRUE(block.ok());
    auto back = d.Decompress(*block);
    ASSERT_TRUE(back.ok()) << back.status();
    EXPECT_EQ(*back, h);
    EXPECT_EQ(SpdyHeaderValue(*back, "StreamType"), "error");
    EXPECT_EQ(SpdyHeaderValue(*back, "multi"), "a");
  }
  SpdyHeaderDecompressor fresh;
  EXPECT_FALSE(fresh.Decompress("this is not zlib").ok());
  // A block that inflates to a truncated name/value list.
  SpdyHeaderCompressor c2;
  auto block = c2.Compress({{"a", "b"}});
  SpdyHeaderDecompressor d2;
  EXPECT_FALSE(d2.Decompress(block->substr(0, block->size() / 2)).ok());
}

// RFC 6455 section 5.7 examples.
TEST(WebSocket, ParsesTheRfcExamples) {
  size_t used;
  auto f = ParseWsFrame(Bytes({0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}), &used, false, 1 << 20);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->payload, "Hello");
  EXPECT_EQ((*f)->opcode, kWsText);
  std::string masked = Bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58});
  f = ParseWsFrame(masked, &used, true, 1 << 20);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->payload, "Hello");
  EXPECT_EQ(EncodeWsFrame(kWsText, "Hello", true, 0x37fa213du), masked);
  EXPECT_EQ(EncodeWsFrame(kWsPing, "Hello"), Bytes({0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f}));
  std::string big = EncodeWsFrame(kWsBinary, std::string(256, 'x'));
  EXPECT_EQ(big.substr(0, 4), Bytes({0x82, 0x7e, 0x01, 0x00}));
  std::string huge = EncodeWsFrame(kWsBinary, std::string(65536, 'x'));
  EXPECT_EQ(huge.substr(0, 10), Bytes({0x82, 0x7f, 0, 0, 0, 0, 0, 1, 0, 0}));
  f = ParseWsFrame(huge, &used, false, 1 << 20);
  ASSERT_TRUE(f.ok() && f->has_value());
  EXPECT_EQ((*f)->payload.size(), 65536u);
  EXPECT_EQ(WsAcceptKey("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WebSocket, ReassemblesFragmentsAroundControlFrames) {
  WsMessageAssembler a(1 << 20);
  size_t used;
  std::string wire = Bytes({0x01, 0x03, 0x48, 0x65, 0x6c}) +
                     Bytes({0x89, 0x00}) + Bytes({0x80, 0x02, 0x6c, 0x6f});
  std::vector<WsFrame> out;
  std::string_view rest = wire;
  while (!rest.empty()) {
    auto f = ParseWsFrame(rest, &used, false, 1 << 20);
    ASSERT_TRUE(f.ok() && f->has_value());
    rest.remove_prefix(used);
    auto m = a.Add(std::move(**f));
    ASSERT_TRUE(m.ok());
    if (m->has_value()) out.push_back(**m);
  }
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].opcode, kWsPing);
  EXPECT_EQ(out[1].opcode, kWsText);
  EXPECT_EQ(out[1].payload, "Hello");
}

TEST(WebSocket, RefusesProtocolViolations) {
  size_t used;
  const uint64_t max = 1 << 20;
  EXPECT_FALSE(ParseWsFrame(Bytes({0xc1, 0x80, 0, 0, 0, 0}), &used, true, max).ok()) << "RSV1";
  EXPECT_FALSE(ParseWsFrame(Bytes({0x83, 0x80, 0, 0, 0, 0}), &used, true, max).ok()) << "opcode 3";
  EXPECT_FALSE(ParseWsFrame(Bytes({0x82, 0x00}), &used, true, max).ok()) << "unmasked";
  EXPECT_FALSE(ParseWsFrame(Bytes({0x89, 0xfe, 0, 200}), &used, true, max).ok()) << "long ping";
  EXPECT_FALSE(ParseWsFrame(Bytes({0x09, 0x80, 0, 0, 0, 0}), &used, true, max).ok())
      << "fragmented ping";
  EXPECT_FALSE(ParseWsFrame(Bytes({0x82, 0xff, 0x80, 0, 0, 0, 0, 0, 0, 0}), &used, true, max).ok())
      << "64-bit length with the top bit";
  EXPECT_FALSE(ParseWsFrame(Bytes({0x82, 0xff, 0, 0, 0, 1, 0, 0, 0, 0}), &used, true, max).ok())
      << "over the size limit";
  WsMessageAssembler a(max);
  WsFrame cont;
  cont.opcode = kWsContinuation;
  EXPECT_FALSE(a.Add(cont).ok()) << "continuation without a start";
  WsFrame start;
  start.opcode = kWsText;
  start.fin = false;
  ASSERT_TRUE(a.Add(start).ok());
  EXPECT_FALSE(a.Add(start).ok()) << "new message inside a fragmented one";
}

TEST(RemoteCommandStatus, MatchesWhatKubectlReads) {
  EXPECT_EQ(ExitStatusJson(0, "[true]"), R"({"metadata":{},"status":"Success"})");
  EXPECT_EQ(ExitStatusJson(137, "[sleep 1000]"),
            R"({"metadata":{},"status":"Failure","message":"command terminated with non-zero )"
            R"(exit code: error executing command [sleep 1000], exit code 137","reason":)"
            R"("NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"137"}]}})");
  EXPECT_EQ(ErrorStatusJson("boom \"x\""),
            R"({"metadata":{},"status":"Failure","message":"Internal error occurred: boom \"x\"",)"
            R"("reason":"InternalError","details":{"causes":[{"message":"boom \"x\""}]},"code":500})");
  EXPECT_EQ(ExitStatusText(1, "[false]"),
            "command terminated with non-zero exit code: error executing command [false], exit code 1");
}

TEST(ResizeDecoder, SplitsAndJoinsObjects) {
  ResizeDecoder d;
  auto r = d.Add(R"({"Width":80,"Height":24}
{"Width":100,)");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 1u);
  EXPECT_EQ((*r)[0], std::make_pair(uint16_t{80}, uint16_t{24}));
  r = d.Add(R"("Height":40}{"width":1,"height":2})");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0], std::make_pair(uint16_t{100}, uint16_t{40}));
  EXPECT_EQ((*r)[1], std::make_pair(uint16_t{1}, uint16_t{2}));
  ResizeDecoder bad;
  EXPECT_FALSE(bad.Add("[1,2]").ok());
  ResizeDecoder neg;
  EXPECT_FALSE(neg.Add(R"({"Width":-1,"Height":2})").ok());
}

TEST(Handshake, NegotiatesSpdyProtocols) {
  auto req = ParseHttpRequest(
      "POST /exec/t HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
      "X-Stream-Protocol-Version: v9.channel.k8s.io\r\n"
      "X-Stream-Protocol-Version: v3.channel.k8s.io\r\n\r\n");
  ASSERT_TRUE(req.ok());
  Handshake h = SpdyHandshake(*req, SpdyRemoteCommandProtocols());
  EXPECT_TRUE(h.ok);
  EXPECT_EQ(h.protocol, "v3.channel.k8s.io");
  EXPECT_NE(h.response.find("X-Stream-Protocol-Version: v3.channel.k8s.io\r\n"), std::string::npos);
  h = SpdyHandshake(*req, {"portforward.k8s.io"});
  EXPECT_FALSE(h.ok);
  EXPECT_EQ(h.response.rfind("HTTP/1.1 403", 0), 0u);
}

TEST(Handshake, ChecksWebSocketKeyAndVersion) {
  std::string base = "GET /exec/t HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n";
  auto ok = ParseHttpRequest(base +
                             "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Protocol: v5.channel.k8s.io, v4.channel.k8s.io\r\n\r\n");
  Handshake h = WebSocketHandshake(*ok, WebSocketRemoteCommandProtocols(), true);
  EXPECT_TRUE(h.ok);
  EXPECT_EQ(h.protocol, "v5.channel.k8s.io");
  EXPECT_NE(h.response.find("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"),
            std::string::npos);
  auto old = ParseHttpRequest(base + "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
  EXPECT_EQ(WebSocketHandshake(*old, WebSocketRemoteCommandProtocols(), true).response.rfind("HTTP/1.1 426", 0), 0u);
  auto nokey = ParseHttpRequest(base + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: short\r\n\r\n");
  EXPECT_EQ(WebSocketHandshake(*nokey, WebSocketRemoteCommandProtocols(), true).response.rfind("HTTP/1.1 400", 0), 0u);
}

}  // namespace
}  // namespace cricket::cri::streaming
