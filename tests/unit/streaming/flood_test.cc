// A flood of idle connections to the streaming port (which answers anyone
// who can reach it, before any token) must not starve real sessions: over the
// per-client and total caps on unauthenticated connections the oldest idle
// ones are closed, so a real exec still gets through, and a session already
// running is not touched.
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>

#include <gtest/gtest.h>

#include "cri/streaming/server.h"
#include "tests/unit/streaming/fake_runtime.h"
#include "tests/unit/streaming/stream_client.h"

namespace cricket::testing::stream {
namespace {

namespace v1 = ::runtime::v1;
using cri::streaming::StreamingServer;

constexpr const char* kSuccess = R"({"metadata":{},"status":"Success"})";

class StreamingFloodTest : public ::testing::Test {
 protected:
  void Start(StreamingServer::Options o) {
    ::signal(SIGPIPE, SIG_IGN);
    runtime_ = std::make_shared<FakeRuntime>();
    auto s = StreamingServer::Start(o, runtime_);
    ASSERT_TRUE(s.ok()) << s.status();
    server_ = std::move(*s);
  }
  std::string CatUrl() {
    v1::ExecRequest r;
    r.set_container_id("c1");
    r.add_cmd("cat");
    r.set_stdin(true);
    r.set_stdout(true);
    return server_->GetExecUrl(r).value_or("");
  }
  // `n` connections from `source` that never send a byte.
  void Flood(int n, const std::string& source = "") {
    for (int i = 0; i < n; i++) {
      auto c = RawConn::Dial("127.0.0.1", server_->port(), source);
      ASSERT_TRUE(c.ok()) << c.status() << " after " << i;
      idle_.push_back(std::move(*c));
    }
  }
  // How many idle connections the server has not closed, once the closing
  // settles (the accept loop may still be working through the backlog):
  // looks again for up to 5 s while more than `expect_at_most` are open.
  size_t StillOpen(size_t expect_at_most) {
    size_t open = idle_.size();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (open > expect_at_most && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::vector<pollfd> fds;
      for (auto& c : idle_) fds.push_back({c->fd(), POLLIN, 0});
      ::poll(fds.data(), fds.size(), 0);
      open = 0;
      for (const pollfd& p : fds) {
        char b;
        bool closed = (p.revents & (POLLIN | POLLHUP)) &&
                      ::recv(p.fd, &b, 1, MSG_PEEK | MSG_DONTWAIT) <= 0;
        if (!closed) open++;
      }
    }
    return open;
  }
  ExecOutcome CatExec(const std::string& input) {
    ExecOptions o;
    o.in = true;
    o.err = false;
    o.input = input;
    return SpdyExec(CatUrl(), o, 10000);
  }

  std::shared_ptr<FakeRuntime> runtime_;
  std::unique_ptr<StreamingServer> server_;
  std::vector<std::unique_ptr<RawConn>> idle_;
};

TEST_F(StreamingFloodTest, IdleFloodFromTheKubeletsAddressLeavesRoomForARealExec) {
  // A small server-wide cap keeps the flood (and the test's fds) small; the
  // per-client cap on connections without a token (64 by default) is below
  // it. The flood comes from 127.0.0.1, as the kubelet's real exec does: a
  // user on the node shares the kubelet's address.
  StreamingServer::Options o;
  o.max_connections = 200;
  Start(o);
  Flood(300);
  ExecOutcome r = CatExec("still served");
  EXPECT_EQ(r.http_status, 101);
  EXPECT_EQ(r.out, "still served");
  EXPECT_EQ(r.error, kSuccess);
  EXPECT_LE(StillOpen(64), 64u) << "idle connections the server kept of " << idle_.size();
}

TEST_F(StreamingFloodTest, FloodFromManyClientsIsCappedInTotal) {
  StreamingServer::Options o;
  o.max_unauthenticated = 100;
  Start(o);
  for (const char* source : {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"}) {
    Flood(50, source);  // under the per-client cap, over the total one together
  }
  ExecOutcome r = CatExec("still served");
  EXPECT_EQ(r.out, "still served");
  EXPECT_EQ(r.error, kSuccess);
  EXPECT_LE(StillOpen(100), 100u) << "idle connections the server kept of " << idle_.size();
}

TEST_F(StreamingFloodTest, RunningSessionsDoNotCountAndAreNotClosed) {
  StreamingServer::Options o;
  o.max_unauthenticated_per_client = 8;
  Start(o);
  auto c = SpdyClient::Connect(CatUrl(), {"v4.channel.k8s.io"});
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_EQ((*c)->status(), 101);
  SpdyClient& s = **c;
  uint32_t error = s.Open({{"streamtype", "error"}});
  uint32_t in = s.Open({{"streamtype", "stdin"}});
  uint32_t out = s.Open({{"streamtype", "stdout"}});
  ASSERT_TRUE(s.WaitReply(out));
  Flood(50);
  s.Send(in, "after the flood", true);
  ASSERT_TRUE(s.WaitFin(error));
  EXPECT_EQ(s.Data(error), kSuccess);
  s.WaitFin(out, 5000);
  EXPECT_EQ(s.Data(out), "after the flood");
  EXPECT_LE(StillOpen(8), 8u);
}

}  // namespace
}  // namespace cricket::testing::stream
