// The streaming server's pure parts: HTTP heads, tokens, status JSON, resize
// decoding and the upgrade handshakes (the frames are cri/wire's, tested in
// tests/unit/wire).
#include <gtest/gtest.h>

#include "cri/streaming/handshake.h"
#include "cri/streaming/http_request.h"
#include "cri/streaming/remote_command.h"
#include "cri/streaming/token_cache.h"

namespace cricket::cri::streaming {
namespace {

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
