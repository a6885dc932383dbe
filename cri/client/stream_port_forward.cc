// The port-forward loop: listeners, local connections, and the upgraded
// connections that carry them.
#include "cri/client/stream_port_forward.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <list>
#include <memory>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cri/client/stream_http.h"
#include "oci/sys/status.h"

namespace cricket::cri::client {
namespace {

constexpr size_t kMaxOutbox = 256 * 1024;

struct Link {
  MuxConnection c;
  bool closed = false;
};

struct Forward {
  sys::UniqueFd local;
  std::shared_ptr<Link> link;
  int data_ch = 0, error_ch = 1;
  PortPair ports;
  size_t data_prefix = 0, error_prefix = 0;  // WebSocket: the port bytes each channel starts with
  bool local_eof = false, data_open = true, error_open = true;
  std::string error_text;
};

absl::StatusOr<std::pair<sys::UniqueFd, uint16_t>> Listen(const std::string& address,
                                                          uint16_t port) {
  sys::UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
  if (!fd) return sys::ErrnoStatus(errno, "socket");
  int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  if (inet_pton(AF_INET, address.c_str(), &a.sin_addr) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("listen address ", address, " is not IPv4"));
  }
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    return sys::ErrnoStatus(errno, "listen on %s:%d", address, port);
  }
  if (listen(fd.get(), 128) != 0) return sys::ErrnoStatus(errno, "listen");
  socklen_t len = sizeof(a);
  getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
  return std::make_pair(std::move(fd), ntohs(a.sin_port));
}

class Forwarder {
 public:
  explicit Forwarder(const PortForwardOptions& o) : o_(o) {}
  absl::Status Run(const std::vector<PortPair>& ports);

 private:
  absl::Status Accept(int listen_fd, PortPair pair);
  absl::Status PumpLocal(Forward& f);
  absl::Status ReadLink(const std::shared_ptr<Link>& link);
  void Deliver(Forward& f, const MuxEvent& e);
  void Finish(Forward& f);

  const PortForwardOptions& o_;
  bool spdy() const { return o_.transport == StreamTransport::kSpdy; }
  std::shared_ptr<Link> shared_;  // SPDY: the one connection
  std::list<Forward> forwards_;
  std::vector<std::pair<sys::UniqueFd, PortPair>> listeners_;
  int next_request_id_ = 0;
};

absl::Status Forwarder::Accept(int listen_fd, PortPair pair) {
  sys::UniqueFd local(accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC));
  if (!local) return absl::OkStatus();  // the client went away already
  Forward f;
  f.local = std::move(local);
  f.ports = pair;
  std::string port = std::to_string(pair.remote);
  if (spdy()) {
    int id = next_request_id_++;
    f.link = shared_;
    f.data_ch = 2 * id;
    f.error_ch = 2 * id + 1;
    std::string rid = std::to_string(id);
    ChannelMux& mux = *shared_->c.mux;
    RETURN_IF_ERROR(
        mux.Open(f.error_ch, {{"streamtype", "error"}, {"port", port}, {"requestid", rid}}));
    RETURN_IF_ERROR(mux.CloseWrite(f.error_ch));  // we never write to the error stream
    RETURN_IF_ERROR(
        mux.Open(f.data_ch, {{"streamtype", "data"}, {"port", port}, {"requestid", rid}}));
  } else {
    ASSIGN_OR_RETURN(std::string url, o_.new_url());
    url += absl::StrCat(url.find('?') == std::string::npos ? "?" : "&", "port=", port);
    auto c = DialMux(url, StreamTransport::kWebSocket, {"v4.portforward.k8s.io"}, o_.dial_timeout);
    if (!c.ok()) {
      if (o_.on_error) o_.on_error(std::string(c.status().message()));
      return absl::OkStatus();  // this connection fails; the forward goes on
    }
    f.link = std::make_shared<Link>(Link{std::move(*c)});
    f.data_prefix = f.error_prefix = 2;
    std::string early = std::move(f.link->c.early_bytes);
    forwards_.push_back(std::move(f));
    std::vector<MuxEvent> events;
    RETURN_IF_ERROR(forwards_.back().link->c.mux->Feed(early, &events));
    for (const auto& e : events) Deliver(forwards_.back(), e);
    return absl::OkStatus();
  }
  forwards_.push_back(std::move(f));
  return absl::OkStatus();
}

absl::Status Forwarder::PumpLocal(Forward& f) {
  ChannelMux& mux = *f.link->c.mux;
  char buf[32 * 1024];
  size_t want = std::min<int64_t>(sizeof(buf), mux.WriteWindow(f.data_ch));
  if (want == 0) return absl::OkStatus();
  ssize_t n = read(f.local.get(), buf, want);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return absl::OkStatus();
  if (n <= 0) {
    f.local_eof = true;
    // SPDY can half-close; v4 WebSocket port forwarding cannot, so the
    // connection stays until the pod side closes.
    if (spdy()) return mux.CloseWrite(f.data_ch);
    return absl::OkStatus();
  }
  return mux.Write(f.data_ch, std::string_view(buf, n));
}

void Forwarder::Deliver(Forward& f, const MuxEvent& e) {
  if (e.kind == MuxEvent::kClosed) {
    f.data_open = f.error_open = false;
    return;
  }
  bool data = e.channel == f.data_ch;
  if (e.kind != MuxEvent::kData) {
    (data ? f.data_open : f.error_open) = false;
    return;
  }
  std::string_view bytes = e.data;
  size_t& prefix = data ? f.data_prefix : f.error_prefix;
  size_t skip = std::min(prefix, bytes.size());
  prefix -= skip;
  bytes.remove_prefix(skip);
  if (!data) {
    f.error_text.append(bytes);
  } else if (!bytes.empty() && !WriteAll(f.local.get(), bytes).ok()) {
    f.local_eof = true;  // the local client is gone; the remote side ends below
    f.data_open = false;
  }
}

void Forwarder::Finish(Forward& f) {
  if (!f.error_text.empty() && o_.on_error) {
    o_.on_error(absl::StrCat("an error occurred forwarding ", f.ports.local, " -> ", f.ports.remote,
                             ": ", f.error_text));
  }
  if (spdy()) {
    f.link->c.mux->Reset(f.data_ch);
    f.link->c.mux->Reset(f.error_ch);
  } else {
    f.link->c.mux->Shutdown();
    FlushMux(f.link->c.fd.get(), *f.link->c.mux).IgnoreError();
  }
}

absl::Status Forwarder::ReadLink(const std::shared_ptr<Link>& link) {
  std::vector<MuxEvent> events;
  bool closed = false;
  absl::Status st = ReadMux(link->c.fd.get(), *link->c.mux, &events, &closed);
  if (!st.ok() || closed) events.push_back(MuxEvent{MuxEvent::kClosed, -1, ""});
  for (const auto& e : events) {
    if (e.kind == MuxEvent::kClosed) link->closed = true;
    for (auto& f : forwards_) {
      if (f.link == link &&
          (e.kind == MuxEvent::kClosed || e.channel == f.data_ch || e.channel == f.error_ch)) {
        Deliver(f, e);
      }
    }
  }
  if (link == shared_ && link->closed) {
    return absl::UnavailableError("lost connection to pod");
  }
  return absl::OkStatus();
}

absl::Status Forwarder::Run(const std::vector<PortPair>& ports) {
  if (spdy()) {
    ASSIGN_OR_RETURN(std::string url, o_.new_url());
    ASSIGN_OR_RETURN(MuxConnection c,
                     DialMux(url, StreamTransport::kSpdy, {"portforward.k8s.io"}, o_.dial_timeout));
    shared_ = std::make_shared<Link>(Link{std::move(c)});
  }
  for (const PortPair& p : ports) {
    ASSIGN_OR_RETURN(auto l, Listen(o_.address, p.local));
    PortPair bound{l.second, p.remote};
    if (o_.on_listen) {
      o_.on_listen(
          absl::StrCat("Forwarding from ", o_.address, ":", bound.local, " -> ", p.remote));
    }
    listeners_.emplace_back(std::move(l.first), bound);
  }
  while (true) {
    std::vector<pollfd> fds = {{o_.signal_fd, POLLIN, 0}};
    std::vector<std::function<absl::Status()>> actions = {nullptr};
    auto add = [&](int fd, short ev, std::function<absl::Status()> act) {
      fds.push_back({fd, ev, 0});
      actions.push_back(std::move(act));
    };
    for (auto& [fd, pair] : listeners_) {
      add(fd.get(), POLLIN, [this, lfd = fd.get(), pair = pair] { return Accept(lfd, pair); });
    }
    std::vector<std::shared_ptr<Link>> links;
    if (shared_) links.push_back(shared_);
    for (auto& f : forwards_) {
      if (f.link != shared_) links.push_back(f.link);
      ChannelMux& mux = *f.link->c.mux;
      if (!f.local_eof && mux.outbox().size() < kMaxOutbox && mux.WriteWindow(f.data_ch) > 0) {
        add(f.local.get(), POLLIN, [this, &f] { return PumpLocal(f); });
      }
    }
    for (auto& link : links) {
      RETURN_IF_ERROR(FlushMux(link->c.fd.get(), *link->c.mux));
      short ev = POLLIN | (link->c.mux->outbox().empty() ? 0 : POLLOUT);
      add(link->c.fd.get(), ev, [this, link] { return ReadLink(link); });
    }
    if (poll(fds.data(), fds.size(), -1) < 0) {
      if (errno == EINTR) continue;
      return sys::ErrnoStatus(errno, "poll");
    }
    if (fds[0].revents & POLLIN) return absl::OkStatus();
    for (size_t i = 1; i < fds.size(); i++) {
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) RETURN_IF_ERROR(actions[i]());
    }
    for (auto it = forwards_.begin(); it != forwards_.end();) {
      bool done = !it->data_open && (!it->error_open || !spdy() || it->link->closed);
      if (!done) {
        ++it;
        continue;
      }
      Finish(*it);
      it = forwards_.erase(it);
    }
  }
}

}  // namespace

absl::StatusOr<PortPair> ParsePortPair(std::string_view text) {
  std::string t(text);
  std::vector<std::string> parts = absl::StrSplit(t, ':');
  std::string local = parts[0];
  std::string remote = parts.size() == 2 ? parts[1] : parts[0];
  int l = 0, r = 0;
  bool local_ok = local.empty() || absl::SimpleAtoi(local, &l);  // ":80" = any local port
  if (parts.size() > 2 || !local_ok || !absl::SimpleAtoi(remote, &r) || l < 0 || l > 65535 ||
      r <= 0 || r > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("port \"", t, "\": want [LOCAL:]REMOTE with ports up to 65535"));
  }
  return PortPair{static_cast<uint16_t>(l), static_cast<uint16_t>(r)};
}

absl::Status RunPortForward(const std::vector<PortPair>& ports, const PortForwardOptions& options) {
  if (ports.empty()) return absl::InvalidArgumentError("port-forward: no ports given");
  if (!options.new_url) return absl::InvalidArgumentError("port-forward: no URL source");
  Forwarder f(options);
  return f.Run(ports);
}

}  // namespace cricket::cri::client
