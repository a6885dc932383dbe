// RunRemoteCommand against tiny in-process servers on loopback, one per
// transport: 1 MiB of stdin goes up, comes back on stdout, stderr arrives
// apart, and the exit code comes from the error channel's Status.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <thread>

#include "cri/client/stream_http.h"
#include "cri/client/stream_remote_command.h"
#include "cri/client/websocket_handshake.h"
#include "cri/wire/spdy_frame.h"
#include "cri/wire/spdy_headers.h"
#include "cri/wire/websocket.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri::client {
namespace {

constexpr char kExit3[] =
    R"({"metadata":{},"status":"Failure","message":"exit 3","reason":"NonZeroExitCode",)"
    R"("details":{"causes":[{"reason":"ExitCode","message":"3"}]}})";

struct Listener {
  sys::UniqueFd fd;
  int port = 0;
};

Listener Listen() {
  Listener l;
  l.fd.Reset(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  EXPECT_EQ(bind(l.fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)), 0);
  EXPECT_EQ(listen(l.fd.get(), 4), 0);
  socklen_t len = sizeof(a);
  getsockname(l.fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
  l.port = ntohs(a.sin_port);
  return l;
}

// Reads the request head; returns it and leaves any extra bytes in *rest.
std::string ReadHead(int fd, std::string* rest) {
  std::string got;
  char buf[4096];
  while (got.find("\r\n\r\n") == std::string::npos) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) return "";
    got.append(buf, n);
  }
  size_t end = got.find("\r\n\r\n") + 4;
  *rest = got.substr(end);
  return got.substr(0, end);
}

std::string HeaderValue(const std::string& head, const std::string& name) {
  size_t at = head.find(name + ": ");
  if (at == std::string::npos) return "";
  size_t start = at + name.size() + 2;
  return head.substr(start, head.find("\r\n", start) - start);
}

// Server side of WebSocket: client frames are masked, so unmask here.
bool ReadClientMessage(int fd, std::string& buf, std::string* payload) {
  char tmp[65536];
  while (true) {
    if (buf.size() >= 2) {
      uint64_t len = static_cast<uint8_t>(buf[1]) & 0x7f;
      size_t hdr = 2;
      if (len == 126 && buf.size() >= 4) {
        len = (static_cast<uint8_t>(buf[2]) << 8) | static_cast<uint8_t>(buf[3]);
        hdr = 4;
      }
      if (len != 126 && buf.size() >= hdr + 4 + len) {
        wire::WsMaskKey key;
        for (int i = 0; i < 4; i++) key[i] = buf[hdr + i];
        *payload = buf.substr(hdr + 4, len);
        wire::WsMask(*payload, key);
        bool close = (buf[0] & 0x0f) == 0x8;
        buf.erase(0, hdr + 4 + len);
        return !close;
      }
    }
    ssize_t n = read(fd, tmp, sizeof(tmp));
    if (n <= 0) return false;
    buf.append(tmp, n);
  }
}

void WebSocketServer(int listen_fd) {
  sys::UniqueFd c(accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
  std::string buf;
  std::string head = ReadHead(c.get(), &buf);
  std::string reply =
      "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
      "Connection: Upgrade\r\nSec-WebSocket-Accept: " +
      wire::WsAcceptKey(HeaderValue(head, "Sec-WebSocket-Key")) +
      "\r\nSec-WebSocket-Protocol: v5.channel.k8s.io\r\n\r\n";
  ASSERT_TRUE(WriteAll(c.get(), reply).ok());
  std::string in, msg;
  while (ReadClientMessage(c.get(), buf, &msg)) {
    if (msg == std::string("\xff\x00", 2)) break;  // v5: stdin closed
    if (!msg.empty() && msg[0] == 0) in += msg.substr(1);
  }
  auto send = [&](char ch, const std::string& data) {
    ASSERT_TRUE(
        WriteAll(c.get(), wire::EncodeWsFrame(wire::WsOpcode::kBinary, std::string(1, ch) + data))
            .ok());
  };
  send(1, in);
  send(2, "to stderr");
  send(3, kExit3);
  ASSERT_TRUE(WriteAll(c.get(), wire::EncodeWsFrame(wire::WsOpcode::kClose, "\x03\xe8")).ok());
  std::string rest;
  while (ReadClientMessage(c.get(), buf, &rest)) {
  }
}

void SpdyServer(int listen_fd) {
  sys::UniqueFd c(accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
  std::string buf;
  std::string head = ReadHead(c.get(), &buf);
  ASSERT_NE(head.find("Upgrade: SPDY/3.1"), std::string::npos);
  ASSERT_TRUE(WriteAll(c.get(),
                       "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
                       "Upgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: "
                       "v4.channel.k8s.io\r\n\r\n")
                  .ok());
  wire::SpdyHeaderDecompressor inflate;
  wire::SpdyHeaderCompressor deflate;
  std::map<std::string, uint32_t> ids;
  std::string in;
  bool stdin_done = false;
  char tmp[65536];
  while (!stdin_done) {
    size_t used = 0;
    auto f = wire::ParseSpdyFrame(buf, &used);
    ASSERT_TRUE(f.ok());
    if (!f->has_value()) {
      ssize_t n = read(c.get(), tmp, sizeof(tmp));
      ASSERT_GT(n, 0);
      buf.append(tmp, n);
      continue;
    }
    buf.erase(0, used);
    wire::SpdyFrame& fr = **f;
    if (fr.control && fr.type == wire::kSynStream) {
      uint32_t id = wire::ReadBe32(fr.payload, 0);
      auto h = inflate.Decompress(std::string_view(fr.payload).substr(10));
      ASSERT_TRUE(h.ok()) << h.status();
      ids[(*h)[0].second] = id;
      std::string body = fr.payload.substr(0, 4) + *deflate.Compress({});
      ASSERT_TRUE(WriteAll(c.get(), wire::EncodeSpdyControl(wire::kSynReply, 0, body)).ok());
    } else if (!fr.control && fr.stream_id == ids["stdin"]) {
      in += fr.payload;
      stdin_done = fr.flags & wire::kSpdyFlagFin;
    }
  }
  std::string out = wire::EncodeSpdyData(ids["stdout"], 0, in) +
                    wire::EncodeSpdyData(ids["stdout"], wire::kSpdyFlagFin, "") +
                    wire::EncodeSpdyData(ids["stderr"], wire::kSpdyFlagFin, "to stderr") +
                    wire::EncodeSpdyData(ids["error"], wire::kSpdyFlagFin, kExit3);
  ASSERT_TRUE(WriteAll(c.get(), out).ok());
  while (read(c.get(), tmp, sizeof(tmp)) > 0) {
  }
}

void RunAgainst(StreamTransport transport, void (*server)(int)) {
  Listener l = Listen();
  std::thread t(server, l.fd.get());
  auto dir = sys::TempDir::Make("cricket-rc-loop-");
  ASSERT_TRUE(dir.ok());
  std::string input(1 << 20, '\0');
  for (size_t i = 0; i < input.size(); i++) input[i] = static_cast<char>(i * 7 + i / 251);
  std::string in_path = dir->Sub("in"), out_path = dir->Sub("out"), err_path = dir->Sub("err");
  {
    sys::UniqueFd w(open(in_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
    ASSERT_TRUE(WriteAll(w.get(), input).ok());
  }
  sys::UniqueFd in(open(in_path.c_str(), O_RDONLY | O_CLOEXEC));
  sys::UniqueFd out(open(out_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  sys::UniqueFd err(open(err_path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600));
  RemoteCommandOptions o;
  o.transport = transport;
  o.stdin = true;
  o.stdin_fd = in.get();
  o.stdout_fd = out.get();
  o.stderr_fd = err.get();
  auto code = RunRemoteCommand("http://127.0.0.1:" + std::to_string(l.port) + "/exec/tok", o);
  t.join();
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 3);
  std::string got(input.size() + 10, '\0');
  sys::UniqueFd r(open(out_path.c_str(), O_RDONLY | O_CLOEXEC));
  got.resize(std::max<ssize_t>(0, pread(r.get(), got.data(), got.size(), 0)));
  EXPECT_TRUE(got == input) << "stdout has " << got.size() << " bytes";
  char e[64] = {};
  sys::UniqueFd re(open(err_path.c_str(), O_RDONLY | O_CLOEXEC));
  EXPECT_EQ(std::string(e, std::max<ssize_t>(0, read(re.get(), e, sizeof(e)))), "to stderr");
}

TEST(RemoteCommandLoop, WebSocketV5) { RunAgainst(StreamTransport::kWebSocket, WebSocketServer); }

TEST(RemoteCommandLoop, Spdy) { RunAgainst(StreamTransport::kSpdy, SpdyServer); }

TEST(RemoteCommandLoop, RefusedUpgradeIsAClearError) {
  Listener l = Listen();
  std::thread t([fd = l.fd.get()] {
    sys::UniqueFd c(accept4(fd, nullptr, nullptr, SOCK_CLOEXEC));
    std::string rest;
    ReadHead(c.get(), &rest);
    WriteAll(c.get(), "HTTP/1.1 404 Not Found\r\nContent-Length: 15\r\n\r\nunknown token\r\n")
        .IgnoreError();
  });
  RemoteCommandOptions o;
  auto code = RunRemoteCommand("http://127.0.0.1:" + std::to_string(l.port) + "/exec/bad", o);
  t.join();
  ASSERT_FALSE(code.ok());
  EXPECT_NE(std::string(code.status().message()).find("404"), std::string::npos) << code.status();
  EXPECT_NE(std::string(code.status().message()).find("unknown token"), std::string::npos);
}

}  // namespace
}  // namespace cricket::cri::client
