// cricketctl exec/attach/port-forward against cricketd, over SPDY and over
// WebSocket: exit codes 0/1/137, separate stdout/stderr, 4 MiB of stdin
// echoed back, a tty whose size (and resize) `stty size` sees, attach to a
// shell, and port-forward to busybox httpd in the pod.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pty.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <regex>

#include "cri/client/stream_http.h"
#include "oci/sys/atomic_file.h"
#include "tests/e2e/ctl_stream/ctl_stream_helpers.h"

namespace cricket::testing {
namespace {

class CtlStreamTransportTest : public CtlStreamTest,
                               public ::testing::WithParamInterface<const char*> {
 protected:
  std::string Transport() const { return std::string("--transport=") + GetParam(); }
};

#define SKIP_WITHOUT_STREAMING(id)                                                \
  do {                                                                            \
    if (StreamingMissing(id)) GTEST_SKIP() << "cricketd streaming not there yet"; \
  } while (0)

TEST_P(CtlStreamTransportTest, ExecOutputAndExitCodes) {
  std::string id = StartContainer({"sleep", "1000"});
  ASSERT_FALSE(id.empty());
  SKIP_WITHOUT_STREAMING(id);
  auto ok = Ctl({"exec", Transport(), id, "sh", "-c", "echo out; echo err >&2"});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(ok->exit.code(), 0) << ok->err;
  EXPECT_EQ(ok->out, "out\n");
  EXPECT_EQ(ok->err, "err\n");
  auto one = Ctl({"exec", Transport(), id.substr(0, 12), "sh", "-c", "exit 1"});
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->exit.code(), 1) << one->err;
  EXPECT_EQ(one->err, "");  // the exit code is passed on, nothing printed
  auto killed = Ctl({"exec", Transport(), id, "sh", "-c", "kill -9 $$"});
  ASSERT_TRUE(killed.ok());
  EXPECT_EQ(killed->exit.code(), 137) << killed->err;
  // -s keeps the ExecSync path, with the same exit code.
  auto sync = Ctl({"exec", "-s", id, "sh", "-c", "echo s; exit 4"});
  ASSERT_TRUE(sync.ok());
  EXPECT_EQ(sync->exit.code(), 4);
  EXPECT_EQ(sync->out, "s\n");
}

TEST_P(CtlStreamTransportTest, ExecStreamsLargeStdinBothWays) {
  std::string id = StartContainer({"sleep", "1000"});
  ASSERT_FALSE(id.empty());
  SKIP_WITHOUT_STREAMING(id);
  std::string input(4 << 20, '\0');
  for (size_t i = 0; i < input.size(); i++) input[i] = static_cast<char>((i * 131) ^ (i >> 12));
  auto r = Ctl({"exec", "-i", Transport(), id, "cat"}, input);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit.code(), 0) << r->err;
  EXPECT_EQ(r->out.size(), input.size());
  EXPECT_TRUE(r->out == input);
}

TEST_P(CtlStreamTransportTest, ExecTtySizeAndResize) {
  std::string id = StartContainer({"sleep", "1000"});
  ASSERT_FALSE(id.empty());
  SKIP_WITHOUT_STREAMING(id);
  int master = -1, slave = -1;
  winsize ws{};
  ws.ws_row = 30;
  ws.ws_col = 100;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, &ws), 0);
  sys::UniqueFd m(master), s(slave);
  fcntl(master, F_SETFD, FD_CLOEXEC);
  fcntl(slave, F_SETFD, FD_CLOEXEC);
  sys::SpawnOptions so;
  so.argv =
      CtlArgv({"exec", "-it", Transport(), id, "sh", "-c", "stty size; read x; stty size; exit 7"});
  so.stdin_fd = so.stdout_fd = so.stderr_fd = slave;
  auto child = sys::ChildProcess::Spawn(so);
  ASSERT_TRUE(child.ok()) << child.status();
  s.Reset();
  std::string first = ReadUntil(master, "30 100", std::chrono::seconds(30));
  EXPECT_NE(first.find("30 100"), std::string::npos) << first;
  ws.ws_row = 40;
  ws.ws_col = 120;
  ASSERT_EQ(ioctl(master, TIOCSWINSZ, &ws), 0);
  // cricketctl is not in the pty's session, so the kernel's SIGWINCH goes elsewhere.
  ASSERT_TRUE(child->Signal(SIGWINCH).ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let the resize travel first
  ASSERT_EQ(write(master, "\r", 1), 1);
  std::string second = ReadUntil(master, "40 120", std::chrono::seconds(30));
  EXPECT_NE(second.find("40 120"), std::string::npos) << second;
  auto exit = child->WaitFor(std::chrono::seconds(30));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(exit->code(), 7);
}

TEST_P(CtlStreamTransportTest, AttachToAShell) {
  std::string id = StartContainer(
      {"sh", "-c", "echo ready; while read l; do echo got:$l; [ \"$l\" = quit ] && exit 0; done"},
      /*stdin=*/true);
  ASSERT_FALSE(id.empty());
  SKIP_WITHOUT_STREAMING(id);
  auto r = Ctl({"attach", "-i", Transport(), id}, "hello\nquit\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit.code(), 0) << r->err;
  EXPECT_NE(r->out.find("got:hello\n"), std::string::npos) << r->out;
}

std::string HttpGet(int port) {
  sys::UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) return "connect failed";
  if (!cri::client::WriteAll(fd.get(), "GET /index.html HTTP/1.0\r\n\r\n").ok()) return "write";
  return ReadUntil(fd.get(), "\n\n\n\n(never)", std::chrono::seconds(20));
}

TEST_P(CtlStreamTransportTest, PortForwardToHttpd) {
  std::string id = StartContainer({"sh", "-c",
                                   "mkdir -p /tmp/www && echo hello-pf > /tmp/www/index.html && "
                                   "exec httpd -f -p 8080 -h /tmp/www"});
  ASSERT_FALSE(id.empty());
  SKIP_WITHOUT_STREAMING(id);
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  sys::UniqueFd rd(fds[0]), wr(fds[1]);
  sys::SpawnOptions so;
  so.argv = CtlArgv({"port-forward", Transport(), pod_id_, "0:8080", ":9999"});
  so.stdout_fd = wr.get();
  auto errs = sys::TempDir::Make("cricket-e2e-pf-");
  ASSERT_TRUE(errs.ok());
  sys::UniqueFd err(open(errs->Sub("stderr").c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  so.stderr_fd = err.get();
  auto child = sys::ChildProcess::Spawn(so);
  ASSERT_TRUE(child.ok()) << child.status();
  wr.Reset();
  std::string lines = ReadUntil(rd.get(), "-> 9999\n", std::chrono::seconds(30));
  std::smatch m, dead;
  ASSERT_TRUE(std::regex_search(lines, m, std::regex("Forwarding from 127.0.0.1:(\\d+) -> 8080")))
      << lines;
  ASSERT_TRUE(
      std::regex_search(lines, dead, std::regex("Forwarding from 127.0.0.1:(\\d+) -> 9999")))
      << lines;
  int port = std::stoi(m[1]);
  // httpd may need a moment to listen after the container started.
  std::string body;
  for (int i = 0; i < 50 && body.find("hello-pf") == std::string::npos; i++) {
    if (i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    body = HttpGet(port);
  }
  EXPECT_NE(body.find("hello-pf"), std::string::npos) << body;
  // Nothing listens on 9999 in the pod: that connection just ends, with the
  // server's error reported, and the forward goes on.
  EXPECT_EQ(HttpGet(std::stoi(dead[1])).find("hello-pf"), std::string::npos);
  // A second connection on the same forward.
  EXPECT_NE(HttpGet(port).find("hello-pf"), std::string::npos);
  ASSERT_TRUE(child->Signal(SIGTERM).ok());
  auto exit = child->WaitFor(std::chrono::seconds(20));
  ASSERT_TRUE(exit.ok()) << exit.status();
  EXPECT_EQ(exit->code(), 0);
  auto err_text = sys::ReadFile(errs->Sub("stderr"));
  EXPECT_NE(err_text.value_or("").find("9999"), std::string::npos) << err_text.value_or("");
}

INSTANTIATE_TEST_SUITE_P(Transports, CtlStreamTransportTest, ::testing::Values("spdy", "websocket"),
                         [](const auto& info) { return std::string(info.param); });

}  // namespace
}  // namespace cricket::testing
