// The streaming server end to end over loopback with a fake runtime (pipes,
// no root): exec/attach/port-forward over SPDY and WebSocket, tokens, and
// hostile input that must end in an HTTP error or a closed stream.
#include <signal.h>

#include <gtest/gtest.h>

#include "cri/streaming/server.h"
#include "tests/unit/streaming/fake_runtime.h"
#include "tests/unit/streaming/stream_client.h"

namespace cricket::testing::stream {
namespace {

namespace v1 = ::runtime::v1;
using cri::streaming::StreamingServer;

class StreamingServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::signal(SIGPIPE, SIG_IGN);
    runtime_ = std::make_shared<FakeRuntime>();
    StreamingServer::Options o;
    o.linger = std::chrono::milliseconds(2000);
    o.stream_creation_timeout = std::chrono::seconds(2);
    auto s = StreamingServer::Start(o, runtime_);
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
  }

  std::string ExecUrl(std::vector<std::string> cmd, bool in, bool out, bool err, bool tty,
                      const std::string& id = "c1") {
    v1::ExecRequest r;
    r.set_container_id(id);
    for (auto& c : cmd) r.add_cmd(c);
    r.set_stdin(in);
    r.set_stdout(out);
    r.set_stderr(err);
    r.set_tty(tty);
    auto url = server_->GetExecUrl(r);
    EXPECT_TRUE(url.ok());
    return url.value_or("");
  }
  std::string PortForwardUrl() {
    v1::PortForwardRequest r;
    r.set_pod_sandbox_id("pod1");
    return server_->GetPortForwardUrl(r).value_or("");
  }

  std::shared_ptr<FakeRuntime> runtime_;
  std::unique_ptr<StreamingServer> server_;
};

TEST_F(StreamingServerTest, UrlsNameTheServer) {
  std::string url = ExecUrl({"exit", "0"}, false, true, true, false);
  EXPECT_EQ(url.rfind(server_->BaseUrl() + "/exec/", 0), 0u) << url;
  EXPECT_GT(server_->port(), 0);
}

TEST_F(StreamingServerTest, SpdyExecSeparatesStdoutStderrAndReportsExitCodes) {
  for (int code : {0, 1, 137}) {
    ExecOptions o;
    auto r = SpdyExec(ExecUrl({"exit", std::to_string(code)}, false, true, true, false), o);
    EXPECT_EQ(r.http_status, 101);
    EXPECT_TRUE(r.finished);
    EXPECT_EQ(r.out, "out\n");
    EXPECT_EQ(r.err, "err\n");
    if (code == 0) {
      EXPECT_EQ(r.error, R"({"metadata":{},"status":"Success"})");
    } else {
      EXPECT_NE(r.error.find(R"("reason":"NonZeroExitCode")"), std::string::npos) << r.error;
      EXPECT_NE(r.error.find(R"("message":")" + std::to_string(code) + R"("}]})"),
                std::string::npos) << r.error;
    }
  }
}

TEST_F(StreamingServerTest, SpdyOlderProtocolsWriteTextStatus) {
  for (const char* proto : {"v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"}) {
    ExecOptions o;
    o.protocol = proto;
    auto r = SpdyExec(ExecUrl({"exit", "3"}, false, true, true, false), o);
    EXPECT_EQ(r.http_status, 101) << proto;
    EXPECT_EQ(r.error, "command terminated with non-zero exit code: error executing command "
                       "[exit 3], exit code 3") << proto;
    auto ok = SpdyExec(ExecUrl({"exit", "0"}, false, true, true, false), o);
    EXPECT_EQ(ok.error, "") << proto;
    EXPECT_TRUE(ok.finished) << proto;
  }
}

TEST_F(StreamingServerTest, SpdyLargeStdinComesBack) {
  ExecOptions o;
  o.in = true;
  o.err = false;
  for (size_t i = 0; i < 3 << 20; i++) o.input.push_back(static_cast<char>('a' + i % 26));
  auto r = SpdyExec(ExecUrl({"cat"}, true, true, false, false), o, 60000);
  EXPECT_EQ(r.http_status, 101);
  EXPECT_EQ(r.out.size(), o.input.size());
  EXPECT_TRUE(r.out == o.input);
  EXPECT_EQ(r.error, R"({"metadata":{},"status":"Success"})");
}

// A client whose first WINDOW_UPDATE comes after the server has sent more than
// the initial 64 KiB (kubectl under load): the window is below zero for a
// while, which must mean "wait", never "the stream is gone".
TEST_F(StreamingServerTest, SpdyLateWindowUpdatesOnlyPauseTheOutput) {
  std::string input;
  for (size_t i = 0; i < (1 << 20); i++) input.push_back(static_cast<char>('a' + i % 26));
  auto c = SpdyClient::Connect(ExecUrl({"cat"}, true, true, false, false), {"v4.channel.k8s.io"});
  ASSERT_TRUE(c.ok()) << c.status();
  SpdyClient& s = **c;
  uint32_t error = s.Open({{"streamtype", "error"}});
  uint32_t in = s.Open({{"streamtype", "stdin"}});
  uint32_t out = s.Open({{"streamtype", "stdout"}});
  auto update = [&](uint32_t id, uint32_t delta) {
    s.SendRaw(cw::EncodeSpdyControl(cw::kWindowUpdate, 0, cw::TwoWordsPayload(id, delta)));
  };
  const size_t first = 256 << 10;
  s.Send(in, std::string_view(input).substr(0, first));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (s.Data(out).size() < first && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(s.Data(out).size(), first) << "no flow control before the first update";
  update(out, 4096);  // the stdout window stays far below zero
  update(0, 4096);
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  s.Send(in, std::string_view(input).substr(first), true);  // more output while it is
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  update(out, 64 << 20);  // now plenty
  update(0, 64 << 20);
  EXPECT_TRUE(s.WaitFin(error, 20000));
  EXPECT_TRUE(s.WaitFin(out, 5000));
  EXPECT_EQ(s.Data(out).size(), input.size());
  EXPECT_TRUE(s.Data(out) == input);
  EXPECT_EQ(s.Data(error), R"({"metadata":{},"status":"Success"})");
}

TEST_F(StreamingServerTest, SpdyTtyResizeReachesTheSession) {
  ExecOptions o;
  o.tty = true;
  o.err = false;
  o.resize = R"({"Width":132,"Height":43})" "\n";
  auto r = SpdyExec(ExecUrl({"size"}, false, true, false, true), o);
  EXPECT_EQ(r.out, "43 132\n");
  EXPECT_EQ(r.error, R"({"metadata":{},"status":"Success"})");
}

TEST_F(StreamingServerTest, TokensAreSingleUse) {
  std::string url = ExecUrl({"exit", "0"}, false, true, true, false);
  EXPECT_EQ(SpdyExec(url, {}).http_status, 101);
  EXPECT_EQ(SpdyExec(url, {}).http_status, 404) << "reused";
  EXPECT_EQ(SpdyExec(server_->BaseUrl() + "/exec/nope", {}).http_status, 404);
  // A token of one kind does not open another.
  std::string pf = PortForwardUrl();
  std::string token = pf.substr(pf.rfind('/') + 1);
  EXPECT_EQ(SpdyExec(server_->BaseUrl() + "/exec/" + token, {}).http_status, 404);
}

TEST_F(StreamingServerTest, TokensExpire) {
  StreamingServer::Options o;
  o.token_ttl = std::chrono::seconds(1);
  auto s = StreamingServer::Start(o, runtime_);
  ASSERT_TRUE(s.ok());
  v1::ExecRequest r;
  r.add_cmd("exit");
  r.add_cmd("0");
  r.set_stdout(true);
  std::string url = *(*s)->GetExecUrl(r);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(SpdyExec(url, {}).http_status, 404);
}

TEST_F(StreamingServerTest, MalformedRequestsGetHttpErrors) {
  auto send = [&](const std::string& raw) {
    auto u = ParseUrl(server_->BaseUrl());
    auto c = RawConn::Dial(u->host, u->port);
    EXPECT_TRUE(c.ok());
    (*c)->Send(raw);
    return StatusCode((*c)->ReadHead());
  };
  EXPECT_EQ(send("garbage\r\n\r\n"), 400);
  EXPECT_EQ(send("GET /exec/x HTTP/1.1\r\nBad Header\r\n\r\n"), 400);
  EXPECT_EQ(send("GET /" + std::string(20000, 'a')), 400);
  EXPECT_EQ(send("DELETE /exec/x HTTP/1.1\r\n\r\n"), 405);
  EXPECT_EQ(send("GET /nowhere HTTP/1.1\r\n\r\n"), 404);
  std::string path = ExecUrl({"exit", "0"}, false, true, true, false);
  path = path.substr(path.find("/exec/"));
  EXPECT_EQ(send("GET " + path + " HTTP/1.1\r\n\r\n"), 400) << "no upgrade headers";
  path = ExecUrl({"exit", "0"}, false, true, true, false);
  auto c = SpdyClient::Connect(path, {"v99.channel.k8s.io"});
  ASSERT_TRUE(c.ok());
  EXPECT_EQ((*c)->status(), 403);
  EXPECT_NE((*c)->head().find("X-Accepted-Stream-Protocol-Versions"), std::string::npos);
  c = SpdyClient::Connect(ExecUrl({"exit", "0"}, false, true, true, false), {});
  EXPECT_EQ((*c)->status(), 400) << "no X-Stream-Protocol-Version";
  auto ws = WsClient::Connect(ExecUrl({"exit", "0"}, false, true, true, false), {"v9.bogus"});
  EXPECT_EQ((*ws)->status(), 400);
  EXPECT_EQ(runtime_->execs, 0);
}

TEST_F(StreamingServerTest, BadSpdyFramesCloseTheConnection) {
  auto c = SpdyClient::Connect(ExecUrl({"sleep"}, false, true, true, false), {"v4.channel.k8s.io"});
  ASSERT_TRUE(c.ok());
  ASSERT_EQ((*c)->status(), 101);
  // A SYN_STREAM whose header block is not zlib.
  (*c)->SendRaw(cri::wire::SpdySynStream(1, 0, "definitely not deflate"));
  EXPECT_TRUE((*c)->WaitClosed(10000));
  EXPECT_TRUE((*c)->GotGoAway());

  c = SpdyClient::Connect(ExecUrl({"sleep"}, false, true, true, false), {"v4.channel.k8s.io"});
  (*c)->SendRaw(std::string("\x80\x02\x00\x01\x00\x00\x00\x00", 8));  // SPDY/2
  EXPECT_TRUE((*c)->WaitClosed(10000));
  // Unknown stream types are refused; a stream that never completes the set times out.
  c = SpdyClient::Connect(ExecUrl({"sleep"}, false, true, true, false), {"v4.channel.k8s.io"});
  uint32_t bogus = (*c)->Open({{"streamtype", "bogus"}});
  EXPECT_FALSE((*c)->WaitReply(bogus));
  uint32_t err = (*c)->Open({{"streamtype", "error"}});
  EXPECT_TRUE((*c)->WaitReply(err));
  (*c)->Send(77, "data on a stream that does not exist");
  EXPECT_TRUE((*c)->WaitClosed(10000)) << "stream creation timeout";
  EXPECT_TRUE((*c)->WasReset(77));
  EXPECT_EQ(runtime_->execs, 0);
}

TEST_F(StreamingServerTest, SpdyAnswersPingsAndClientLeavingKillsTheSession) {
  auto c = SpdyClient::Connect(ExecUrl({"sleep"}, false, true, true, false), {"v4.channel.k8s.io"});
  for (const char* t : {"error", "stdout", "stderr"}) (*c)->Open({{"streamtype", t}});
  (*c)->SendRaw(cri::wire::SpdyPing(1));
  for (int i = 0; i < 50 && (*c)->pings() == 0; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ((*c)->pings(), 1);
  c->reset();  // the client goes away: the "sleep" session must be closed
  for (int i = 0; i < 50 && runtime_->execs == 0; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(runtime_->execs, 1);
  server_->Shutdown();  // returns only once the session thread ended
}

TEST_F(StreamingServerTest, WebSocketExecChannelsAndStatus) {
  for (const char* proto : {"v5.channel.k8s.io", "v4.channel.k8s.io"}) {
    auto c = WsClient::Connect(ExecUrl({"exit", "2"}, false, true, true, false), {proto});
    ASSERT_TRUE(c.ok());
    ASSERT_EQ((*c)->status(), 101) << (*c)->head();
    EXPECT_NE((*c)->head().find(std::string("Sec-WebSocket-Protocol: ") + proto), std::string::npos);
    (*c)->ReadUntilClosed();
    ASSERT_FALSE((*c)->messages.empty());
    EXPECT_EQ((*c)->messages[0], std::string(1, '\x01')) << "empty open message on stdout";
    EXPECT_EQ((*c)->channels[1], "out\n");
    EXPECT_EQ((*c)->channels[2], "err\n");
    EXPECT_NE((*c)->channels[3].find("NonZeroExitCode"), std::string::npos);
    EXPECT_TRUE((*c)->got_close);
    EXPECT_EQ((*c)->close_code, 1000);
  }
}

TEST_F(StreamingServerTest, WebSocketV5CloseSignalEndsStdin) {
  auto c = WsClient::Connect(ExecUrl({"cat"}, true, true, false, false), {"v5.channel.k8s.io"});
  ASSERT_EQ((*c)->status(), 101);
  (*c)->Send(0, "hello ");
  (*c)->SendFrame(cri::wire::WsOpcode::kPing, "p");
  (*c)->Send(0, "world");
  (*c)->Send(255, std::string(1, '\0'));  // close stdin
  (*c)->ReadUntilClosed();
  EXPECT_EQ((*c)->channels[1], "hello world");
  EXPECT_EQ((*c)->channels[3], R"({"metadata":{},"status":"Success"})");
  ASSERT_EQ((*c)->pongs.size(), 1u);
}

TEST_F(StreamingServerTest, WebSocketBase64Protocol) {
  auto c = WsClient::Connect(ExecUrl({"exit", "0"}, false, true, true, false),
                             {"base64.channel.k8s.io"});
  ASSERT_EQ((*c)->status(), 101);
  (*c)->ReadUntilClosed();
  bool found = false;
  for (const auto& m : (*c)->messages) found |= m == "1b3V0Cg==";  // "1" + base64("out\n")
  EXPECT_TRUE(found);
}

TEST_F(StreamingServerTest, BadWebSocketFramesClose) {
  auto c = WsClient::Connect(ExecUrl({"sleep"}, false, true, true, false), {"v4.channel.k8s.io"});
  ASSERT_EQ((*c)->status(), 101);
  (*c)->raw().Send(std::string("\x82\x01X", 3));  // unmasked client frame
  (*c)->ReadUntilClosed(10000);
  EXPECT_TRUE((*c)->got_close);
  EXPECT_EQ((*c)->close_code, 1002);
}

TEST_F(StreamingServerTest, SpdyPortForwardRelaysAndReportsErrors) {
  UpperEchoServer echo;
  auto c = SpdyClient::Connect(PortForwardUrl(), {"portforward.k8s.io"});
  ASSERT_EQ((*c)->status(), 101);
  std::string port = std::to_string(echo.port());
  std::vector<std::pair<uint32_t, uint32_t>> pairs;
  for (int i = 0; i < 3; i++) {
    std::string id = std::to_string(i);
    uint32_t e = (*c)->Open({{"streamtype", "error"}, {"port", port}, {"requestid", id}});
    uint32_t d = (*c)->Open({{"streamtype", "data"}, {"port", port}, {"requestid", id}});
    pairs.emplace_back(d, e);
  }
  for (auto [d, e] : pairs) (*c)->Send(d, "hello " + std::to_string(d), true);
  for (auto [d, e] : pairs) {
    EXPECT_TRUE((*c)->WaitFin(d));
    EXPECT_EQ((*c)->Data(d), "HELLO " + std::to_string(d));
    EXPECT_TRUE((*c)->WaitFin(e));
    EXPECT_EQ((*c)->Data(e), "");
  }
  // Nothing listens on port 1: the error stream says so.
  uint32_t e = (*c)->Open({{"streamtype", "error"}, {"port", "1"}, {"requestid", "x"}});
  uint32_t d = (*c)->Open({{"streamtype", "data"}, {"port", "1"}, {"requestid", "x"}});
  EXPECT_TRUE((*c)->WaitFin(e));
  EXPECT_NE((*c)->Data(e).find("error forwarding port 1 to pod pod1"), std::string::npos);
  EXPECT_TRUE((*c)->WaitFin(d));
  // A bad port header is refused.
  uint32_t bad = (*c)->Open({{"streamtype", "data"}, {"port", "http"}});
  EXPECT_FALSE((*c)->WaitReply(bad));
}

TEST_F(StreamingServerTest, WebSocketPortForwardPrefixesPorts) {
  UpperEchoServer echo;
  std::string url = PortForwardUrl() + "?port=" + std::to_string(echo.port());
  auto c = WsClient::Connect(url, {"v4.channel.k8s.io"});
  ASSERT_EQ((*c)->status(), 101) << (*c)->head();
  (*c)->Send(0, "abc");
  // The echo server answers once; the client then closes the socket.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::string buf;
  while (std::chrono::steady_clock::now() < deadline && (*c)->raw().buf().find("ABC") == std::string::npos) {
    (*c)->raw().Fill(100);
  }
  std::string le{static_cast<char>(echo.port() & 0xff), static_cast<char>(echo.port() >> 8)};
  std::string& raw = (*c)->raw().buf();
  EXPECT_NE(raw.find(std::string("\x00", 1) + le), std::string::npos) << "data channel prefix";
  EXPECT_NE(raw.find(std::string("\x01", 1) + le), std::string::npos) << "error channel prefix";
  EXPECT_NE(raw.find(std::string("\x00", 1) + "ABC"), std::string::npos);
  auto no_port = WsClient::Connect(PortForwardUrl() + "?port=x", {"v4.channel.k8s.io"});
  EXPECT_EQ((*no_port)->status(), 400);
}

TEST_F(StreamingServerTest, FiftyConcurrentExecs) {
  std::vector<std::thread> threads;
  std::atomic<int> good{0};
  std::vector<std::string> urls;
  for (int i = 0; i < 50; i++) urls.push_back(ExecUrl({"cat"}, true, true, false, false));
  for (int i = 0; i < 50; i++) {
    threads.emplace_back([&, i] {
      ExecOptions o;
      o.in = true;
      o.err = false;
      o.input = "session " + std::to_string(i);
      auto r = SpdyExec(urls[i], o);
      if (r.out == o.input && r.error == R"({"metadata":{},"status":"Success"})") good++;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(good, 50);
}

TEST_F(StreamingServerTest, RuntimeErrorsGoToTheErrorStream) {
  auto r = SpdyExec(ExecUrl({"exit", "0"}, false, true, true, false, "missing"), {});
  EXPECT_EQ(r.http_status, 101);
  EXPECT_NE(r.error.find("container missing not found"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find(R"("reason":"InternalError")"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace cricket::testing::stream
