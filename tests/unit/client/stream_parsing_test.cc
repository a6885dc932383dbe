// The small parsers around streaming: URLs, HTTP response heads, port pairs,
// and the exit status on the error channel.
#include <gtest/gtest.h>

#include "cri/client/stream_exit_status.h"
#include "cri/client/stream_http.h"
#include "cri/client/stream_mux.h"
#include "cri/client/stream_port_forward.h"

namespace cricket::cri::client {
namespace {

TEST(StreamUrl, Parses) {
  auto u = ParseStreamUrl("http://127.0.0.1:34567/exec/AbC?x=1");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, 34567);
  EXPECT_EQ(u->path_query, "/exec/AbC?x=1");
  auto v6 = ParseStreamUrl("http://[::1]:8080/pf/t");
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->HostHeader(), "[::1]:8080");
  auto plain = ParseStreamUrl("http://localhost");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->port, 80);
  EXPECT_EQ(plain->path_query, "/");
  auto tls = ParseStreamUrl("https://h/x");
  ASSERT_TRUE(tls.ok()) << tls.status();
  EXPECT_TRUE(tls->tls);
  EXPECT_EQ(tls->port, 443);
  EXPECT_FALSE(plain->tls);
  EXPECT_EQ(ParseStreamUrl("/exec/tok").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseStreamUrl("http://h:99999/").ok());
  EXPECT_FALSE(ParseStreamUrl("http://[::1/").ok());
}

TEST(ResponseHead, Parses) {
  auto none = ParseResponseHead("HTTP/1.1 101 Switching");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  auto h = ParseResponseHead(
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\n"
      "X-Stream-Protocol-Version:  v4.channel.k8s.io \r\n\r\n\x80\x03");
  ASSERT_TRUE(h.ok() && h->has_value());
  EXPECT_EQ((*h)->status, 101);
  EXPECT_EQ((*h)->Get("x-stream-protocol-version"), "v4.channel.k8s.io");
  EXPECT_EQ((*h)->rest, "\x80\x03");
  EXPECT_FALSE(ParseResponseHead("SSH-2.0-x\r\n\r\n").ok());
  EXPECT_FALSE(ParseResponseHead("HTTP/1.1 101 OK\r\nno colon\r\n\r\n").ok());
}

TEST(PortPair, Parses) {
  EXPECT_EQ(ParsePortPair("8080")->local, 8080);
  EXPECT_EQ(ParsePortPair("8080")->remote, 8080);
  EXPECT_EQ(ParsePortPair("0:80")->local, 0);
  EXPECT_EQ(ParsePortPair(":80")->local, 0);
  EXPECT_EQ(ParsePortPair(":80")->remote, 80);
  EXPECT_EQ(ParsePortPair("9000:80")->remote, 80);
  for (const char* bad : {"", "a:80", "80:0", "70000", "1:2:3", "80:"}) {
    EXPECT_FALSE(ParsePortPair(bad).ok()) << bad;
  }
}

TEST(Transport, Parses) {
  EXPECT_EQ(*ParseTransport("spdy"), StreamTransport::kSpdy);
  EXPECT_EQ(*ParseTransport("websocket"), StreamTransport::kWebSocket);
  EXPECT_FALSE(ParseTransport("h2").ok());
}

TEST(ExitStatus, AsClientGoReadsIt) {
  EXPECT_EQ(*DecodeExitStatus("", true), 0);
  EXPECT_EQ(*DecodeExitStatus(R"({"metadata":{},"status":"Success"})", true), 0);
  auto exit137 = DecodeExitStatus(
      R"({"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code",)"
      R"("reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"137"}]}})",
      true);
  ASSERT_TRUE(exit137.ok()) << exit137.status();
  EXPECT_EQ(*exit137, 137);
  auto other = DecodeExitStatus(
      R"({"status":"Failure","message":"container not found","reason":"NotFound"})", true);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(std::string(other.status().message()), "container not found");
  EXPECT_FALSE(DecodeExitStatus(R"({"status":"Failure","reason":"NonZeroExitCode",)"
                                R"("details":{"causes":[{"reason":"ExitCode","message":"x"}]}})",
                                true)
                   .ok());
  EXPECT_EQ(DecodeExitStatus("{not json", true).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeExitStatus("[1,2]", true).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeExitStatus(R"({"status":7})", true).status().code(),
            absl::StatusCode::kInvalidArgument);
  // v1-v3: plain text is the error.
  EXPECT_EQ(std::string(DecodeExitStatus("exec failed", false).status().message()), "exec failed");
}

}  // namespace
}  // namespace cricket::cri::client
