// Test clients for the streaming server (header-only; shared by the unit and
// e2e streaming tests): a raw HTTP dial, a SPDY/3.1 client speaking the
// kubectl side of remotecommand and portforward, and a WebSocket client.
// They reuse the pure framers of cri/streaming, not the server's session code.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "cri/streaming/http_request.h"
#include "cri/wire/spdy_frame.h"
#include "cri/wire/spdy_headers.h"
#include "cri/wire/websocket.h"
#include "oci/sys/unique_fd.h"

namespace cricket::testing::stream {

namespace cs = ::cricket::cri::streaming;
namespace cw = ::cricket::cri::wire;

struct ParsedUrl {
  std::string host;
  int port = 0;
  std::string path;  // with query
};

inline absl::StatusOr<ParsedUrl> ParseUrl(const std::string& url) {
  std::string rest = url;
  if (rest.rfind("http://", 0) != 0) return absl::InvalidArgumentError("not http: " + url);
  rest = rest.substr(7);
  size_t slash = rest.find('/');
  std::string hostport = rest.substr(0, slash);
  ParsedUrl u;
  u.path = slash == std::string::npos ? "/" : rest.substr(slash);
  size_t colon = hostport.rfind(':');
  u.host = hostport.substr(0, colon);
  u.port = std::stoi(hostport.substr(colon + 1));
  return u;
}

// A TCP connection with blocking helpers.
class RawConn {
 public:
  // `source`: a local address to connect from (e.g. 127.0.0.2, to look like
  // another client); "" lets the kernel choose.
  static absl::StatusOr<std::unique_ptr<RawConn>> Dial(const std::string& host, int port,
                                                       const std::string& source = "") {
    sys::UniqueFd fd(::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!source.empty()) {
      sockaddr_in s{};
      s.sin_family = AF_INET;
      inet_pton(AF_INET, source.c_str(), &s.sin_addr);
      if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&s), sizeof(s)) != 0) {
        return absl::UnavailableError(absl::StrCat("bind to ", source));
      }
    }
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, host.c_str(), &a.sin_addr);
    if (::connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
      return absl::UnavailableError(absl::StrCat("connect ", host, ":", port));
    }
    auto c = std::make_unique<RawConn>();
    c->fd_ = std::move(fd);
    return c;
  }
  bool Send(std::string_view d) {
    std::lock_guard<std::mutex> lock(write_mu_);
    while (!d.empty()) {
      ssize_t w = ::send(fd_.get(), d.data(), d.size(), MSG_NOSIGNAL);
      if (w <= 0) return false;
      d.remove_prefix(static_cast<size_t>(w));
    }
    return true;
  }
  // Appends what arrives within timeout_ms to buf_; false at EOF/error.
  bool Fill(int timeout_ms) {
    pollfd p{fd_.get(), POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return true;
    char tmp[65536];
    ssize_t n = ::recv(fd_.get(), tmp, sizeof(tmp), 0);
    if (n <= 0) return false;
    buf_.append(tmp, static_cast<size_t>(n));
    return true;
  }
  // The response head (status line and headers); the rest stays in buf().
  std::string ReadHead(int timeout_ms = 10000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto end = cs::FindHeadEnd(buf_)) {
        std::string head = buf_.substr(0, *end);
        buf_.erase(0, *end);
        return head;
      }
      if (!Fill(100)) break;
    }
    return buf_;
  }
  // Everything until the peer closes (or timeout).
  std::string ReadAll(int timeout_ms = 10000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline && Fill(100)) {
    }
    return std::exchange(buf_, "");
  }
  std::string& buf() { return buf_; }
  int fd() const { return fd_.get(); }
  void ShutdownWrite() { ::shutdown(fd_.get(), SHUT_WR); }

 private:
  sys::UniqueFd fd_;
  std::mutex write_mu_;
  std::string buf_;
};

inline int StatusCode(const std::string& head) {
  if (head.size() < 12) return 0;
  return std::atoi(head.substr(9, 3).c_str());
}

// The kubectl side of SPDY/3.1 with its own read thread.
class SpdyClient {
 public:
  ~SpdyClient() { Close(); }
  // Sends the upgrade request; status 101 on success (response head in head()).
  static absl::StatusOr<std::unique_ptr<SpdyClient>> Connect(
      const std::string& url, const std::vector<std::string>& protocols) {
    auto u = ParseUrl(url);
    if (!u.ok()) return u.status();
    auto conn = RawConn::Dial(u->host, u->port);
    if (!conn.ok()) return conn.status();
    std::string req = absl::StrCat("POST ", u->path, " HTTP/1.1\r\nHost: ", u->host, "\r\n",
                                   "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n");
    for (const auto& p : protocols) absl::StrAppend(&req, "X-Stream-Protocol-Version: ", p, "\r\n");
    req += "\r\n";
    auto c = std::unique_ptr<SpdyClient>(new SpdyClient());
    c->conn_ = std::move(*conn);
    c->conn_->Send(req);
    c->head_ = c->conn_->ReadHead();
    c->status_ = StatusCode(c->head_);
    if (c->status_ == 101) c->reader_ = std::thread([p = c.get()] { p->ReadLoop(); });
    return c;
  }
  int status() const { return status_; }
  const std::string& head() const { return head_; }
  RawConn& raw() { return *conn_; }

  uint32_t Open(const cw::SpdyHeaders& headers, bool fin = false) {
    std::lock_guard<std::mutex> lock(mu_);
    uint32_t id = next_id_;
    next_id_ += 2;
    cw::SynStream s;
    s.stream_id = id;
    s.header_block = deflate_.Compress(headers).value_or("");
    conn_->Send(cw::EncodeSpdyControl(cw::kSynStream, fin ? cw::kSpdyFlagFin : 0,
                                      cw::SynStreamPayload(s)));
    return id;
  }
  void Send(uint32_t id, std::string_view data, bool fin = false) {
    do {
      size_t n = std::min<size_t>(data.size(), 32 * 1024);
      conn_->Send(cw::EncodeSpdyData(id, fin && n == data.size() ? cw::kSpdyFlagFin : 0,
                                     data.substr(0, n)));
      data.remove_prefix(n);
    } while (!data.empty());
  }
  void SendRaw(std::string_view bytes) { conn_->Send(bytes); }
  // Waits for a SYN_REPLY (true) or RST/FIN-reply (false).
  bool WaitReply(uint32_t id, int timeout_ms = 10000) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                 [&] { return streams_[id].replied || streams_[id].reset || closed_; });
    return streams_[id].replied && !streams_[id].refused;
  }
  bool WaitFin(uint32_t id, int timeout_ms = 20000) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms),
                        [&] { return streams_[id].fin || streams_[id].reset || closed_; });
  }
  bool WaitClosed(int timeout_ms = 20000) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return closed_; });
  }
  std::string Data(uint32_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    return streams_[id].data;
  }
  bool WasReset(uint32_t id) {
    std::lock_guard<std::mutex> lock(mu_);
    return streams_[id].reset;
  }
  bool GotGoAway() {
    std::lock_guard<std::mutex> lock(mu_);
    return goaway_;
  }
  int pings() {
    std::lock_guard<std::mutex> lock(mu_);
    return pings_;
  }
  void Close() {
    if (conn_) ::shutdown(conn_->fd(), SHUT_RDWR);
    if (reader_.joinable()) reader_.join();
  }

 private:
  struct Stream {
    std::string data;
    bool replied = false, refused = false, fin = false, reset = false;
  };
  SpdyClient() = default;
  void ReadLoop() {
    std::string& buf = conn_->buf();
    while (true) {
      size_t used = 0;
      auto f = cw::ParseSpdyFrame(buf, &used);
      if (!f.ok()) break;
      if (!f->has_value()) {
        if (!conn_->Fill(200)) break;
        continue;
      }
      buf.erase(0, used);
      Handle(**f);
    }
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }
  void Handle(const cw::SpdyFrame& f) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!f.control) {
      Stream& s = streams_[f.stream_id];
      s.data += f.payload;
      if (f.flags & cw::kSpdyFlagFin) s.fin = true;
    } else if (f.type == cw::kSynReply) {
      auto h = cw::ParseStreamHeaders(f.payload);
      if (h.ok()) {
        (void)inflate_.Decompress(h->second);
        Stream& s = streams_[h->first];
        s.replied = true;
        if (f.flags & cw::kSpdyFlagFin) s.refused = true;
      }
    } else if (f.type == cw::kRstStream) {
      auto w = cw::ParseTwoWords(f.payload);
      if (w.ok()) streams_[w->first].reset = true;
    } else if (f.type == cw::kGoAway) {
      goaway_ = true;
    } else if (f.type == cw::kPing) {
      pings_++;
    }
    cv_.notify_all();
  }

  std::unique_ptr<RawConn> conn_;
  std::string head_;
  int status_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint32_t, Stream> streams_;
  uint32_t next_id_ = 1;
  bool closed_ = false, goaway_ = false;
  int pings_ = 0;
  cw::SpdyHeaderCompressor deflate_;
  cw::SpdyHeaderDecompressor inflate_;
  std::thread reader_;
};

struct ExecOptions {
  bool in = false, out = true, err = true, tty = false;
  std::string protocol = "v4.channel.k8s.io";
  std::string input;                 // sent on stdin, then stdin is closed
  std::string resize;                // sent on the resize stream first
  bool close_stdin = true;
};

struct ExecOutcome {
  int http_status = 0;
  std::string out, err, error;
  bool finished = false;  // the error stream ended
};

// kubectl exec over SPDY: error, stdin, stdout, stderr, resize streams.
inline ExecOutcome SpdyExec(const std::string& url, const ExecOptions& o, int timeout_ms = 30000) {
  ExecOutcome r;
  auto c = SpdyClient::Connect(url, {o.protocol});
  if (!c.ok()) return r;
  r.http_status = (*c)->status();
  if (r.http_status != 101) return r;
  SpdyClient& s = **c;
  auto open = [&](const char* type) { return s.Open({{"streamtype", type}}); };
  uint32_t error = open("error");
  uint32_t in = o.in ? open("stdin") : 0;
  uint32_t out = o.out ? open("stdout") : 0;
  uint32_t err = o.err && !o.tty ? open("stderr") : 0;
  uint32_t resize = o.tty ? open("resize") : 0;
  if (resize && !o.resize.empty()) s.Send(resize, o.resize);
  if (in) {
    if (!o.input.empty()) s.Send(in, o.input);
    if (o.close_stdin) s.Send(in, "", true);
  }
  r.finished = s.WaitFin(error, timeout_ms);
  if (out) s.WaitFin(out, 5000);
  if (err) s.WaitFin(err, 5000);
  r.error = s.Data(error);
  if (out) r.out = s.Data(out);
  if (err) r.err = s.Data(err);
  return r;
}

// A WebSocket client (masked frames) for the channel protocols.
class WsClient {
 public:
  static absl::StatusOr<std::unique_ptr<WsClient>> Connect(
      const std::string& url, const std::vector<std::string>& protocols,
      const std::string& extra_headers = "") {
    auto u = ParseUrl(url);
    if (!u.ok()) return u.status();
    auto conn = RawConn::Dial(u->host, u->port);
    if (!conn.ok()) return conn.status();
    std::string req = absl::StrCat("GET ", u->path, " HTTP/1.1\r\nHost: ", u->host, "\r\n",
                                   "Connection: Upgrade\r\nUpgrade: websocket\r\n",
                                   "Sec-WebSocket-Version: 13\r\n",
                                   "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n", extra_headers);
    if (!protocols.empty()) {
      std::string joined;
      for (const auto& p : protocols) joined += (joined.empty() ? "" : ", ") + p;
      absl::StrAppend(&req, "Sec-WebSocket-Protocol: ", joined, "\r\n");
    }
    req += "\r\n";
    auto c = std::unique_ptr<WsClient>(new WsClient());
    c->conn_ = std::move(*conn);
    c->conn_->Send(req);
    c->head_ = c->conn_->ReadHead();
    c->status_ = StatusCode(c->head_);
    return c;
  }
  int status() const { return status_; }
  const std::string& head() const { return head_; }
  RawConn& raw() { return *conn_; }
  void Send(int channel, std::string_view data) {
    std::string msg(1, static_cast<char>(channel));
    msg.append(data);
    conn_->Send(cw::EncodeWsFrame(cw::WsOpcode::kBinary, msg, cw::WsMaskKey{0x12, 0x34, 0x56, 0x78}));
  }
  void SendFrame(cw::WsOpcode opcode, std::string_view payload, bool fin = true) {
    conn_->Send(cw::EncodeWsFrame(opcode, payload, cw::WsMaskKey{0x0b, 0xad, 0xf0, 0x0d}, fin));
  }
  // Reads messages until the server's close frame or EOF; per channel data.
  // Binary protocols: first byte is the channel.
  void ReadUntilClosed(int timeout_ms = 30000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    std::string& buf = conn_->buf();
    while (std::chrono::steady_clock::now() < deadline) {
      size_t used = 0;
      auto f = cw::ParseWsFrame(buf, &used, cw::WsSender::kServer, 1 << 30);
      if (!f.ok()) return;
      if (!f->has_value()) {
        if (!conn_->Fill(100)) return;
        continue;
      }
      buf.erase(0, used);
      const cw::WsFrame& fr = **f;
      if (fr.opcode == cw::WsOpcode::kClose) {
        close_code = fr.payload.size() >= 2 ? (uint8_t(fr.payload[0]) << 8) | uint8_t(fr.payload[1]) : 0;
        got_close = true;
        conn_->Send(cw::EncodeWsFrame(cw::WsOpcode::kClose, fr.payload.substr(0, 2), cw::WsMaskKey{0, 0, 0, 1}));
        return;
      }
      if (fr.opcode == cw::WsOpcode::kPong) pongs.push_back(fr.payload);
      if (fr.opcode != cw::WsOpcode::kBinary && fr.opcode != cw::WsOpcode::kText) continue;
      messages.push_back(fr.payload);
      if (!fr.payload.empty()) channels[uint8_t(fr.payload[0])] += fr.payload.substr(1);
    }
  }

  std::vector<std::string> messages;
  std::vector<std::string> pongs;
  std::map<int, std::string> channels;
  bool got_close = false;
  int close_code = 0;

 private:
  WsClient() = default;
  std::unique_ptr<RawConn> conn_;
  std::string head_;
  int status_ = 0;
};

// One port-forward exchange on a portforward.k8s.io session: `request` to
// `port`, the answer back. Empty when nothing listened yet; then the error
// stream has been drained and a short pause taken, so the caller may retry.
inline std::string SpdyPortForwardOnce(SpdyClient& c, const std::string& port,
                                       const std::string& request) {
  uint32_t e = c.Open({{"streamtype", "error"}, {"port", port}, {"requestid", "0"}});
  uint32_t d = c.Open({{"streamtype", "data"}, {"port", port}, {"requestid", "0"}});
  c.Send(d, request, true);
  c.WaitFin(d, 10000);
  std::string body = c.Data(d);
  if (body.empty()) {
    c.WaitFin(e, 5000);
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return body;
}

}  // namespace cricket::testing::stream
