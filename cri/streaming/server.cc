// StreamingServer: listen socket, accept loop, URL issuing and shutdown.
#include "cri/streaming/server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>

#include <cerrno>

#include "absl/strings/str_cat.h"
#include "cri/streaming/server_state.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::cri::streaming {
namespace {

struct Listener {
  sys::UniqueFd fd;
  int port = 0;
};

absl::StatusOr<Listener> Listen(const std::string& address, int port) {
  std::string addr = address.empty() || address == "localhost" ? "127.0.0.1" : address;
  sockaddr_storage ss{};
  socklen_t len;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&ss);
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&ss);
  if (inet_pton(AF_INET, addr.c_str(), &v4->sin_addr) == 1) {
    v4->sin_family = AF_INET;
    v4->sin_port = htons(static_cast<uint16_t>(port));
    len = sizeof(*v4);
  } else if (inet_pton(AF_INET6, addr.c_str(), &v6->sin6_addr) == 1) {
    v6->sin6_family = AF_INET6;
    v6->sin6_port = htons(static_cast<uint16_t>(port));
    len = sizeof(*v6);
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("streaming address \"", address, "\" is not an IP address"));
  }
  if (port < 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("streaming port ", port, " is out of range"));
  }
  sys::UniqueFd fd(::socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd) return sys::ErrnoStatus(errno, "streaming socket");
  int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (::bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    return sys::ErrnoStatus(errno, "bind streaming server to %s:%d", addr, port);
  }
  if (::listen(fd.get(), 128) != 0) return sys::ErrnoStatus(errno, "listen on %s:%d", addr, port);
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return sys::ErrnoStatus(errno, "getsockname of the streaming server");
  }
  Listener l;
  l.port = ntohs(ss.ss_family == AF_INET ? v4->sin_port : v6->sin6_port);
  l.fd = std::move(fd);
  return l;
}

// The peer's address without its port: what the per-client cap counts by.
std::string ClientAddress(const sockaddr_storage& ss) {
  char text[INET6_ADDRSTRLEN] = "?";
  if (ss.ss_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(&ss)->sin_addr, text, sizeof(text));
  } else if (ss.ss_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(&ss)->sin6_addr, text,
              sizeof(text));
  }
  return text;
}

void AcceptLoop(std::shared_ptr<StreamingServer::State> st) {
  while (!st->stop) {
    pollfd p{st->listen_fd.get(), POLLIN, 0};
    if (::poll(&p, 1, 500) <= 0) continue;
    sockaddr_storage peer{};
    socklen_t peer_len = sizeof(peer);
    sys::UniqueFd fd(::accept4(st->listen_fd.get(), reinterpret_cast<sockaddr*>(&peer),
                               &peer_len, SOCK_CLOEXEC));
    if (!fd) continue;
    int one = 1;
    ::setsockopt(fd.get(), IPPROTO_TCP, 1 /* TCP_NODELAY */, &one, sizeof(one));
    {
      std::lock_guard<std::mutex> lock(st->mu);
      if (st->active >= st->opts.max_connections) {
        sys::LogWarn("streaming server: too many connections, refusing one");
        continue;  // fd closes
      }
      st->active++;
    }
    // Counted (and older idle ones closed) before its thread runs, so a flood
    // is cut down as fast as it is accepted.
    uint64_t ticket = st->unauthenticated.Admit(ClientAddress(peer), fd.get());
    std::thread([st, fd = std::move(fd), ticket]() mutable {
      ServeConnection(st, std::move(fd), ticket);
      std::lock_guard<std::mutex> lock(st->mu);
      st->active--;
      st->cv.notify_all();
    }).detach();
  }
}

template <typename Req>
absl::StatusOr<std::string> Url(StreamingServer::State& st, const char* kind, const Req& req) {
  if (st.stop) return absl::UnavailableError("the streaming server is shutting down");
  ASSIGN_OR_RETURN(std::string token, st.tokens.Insert(req));
  return absl::StrCat(st.base_url, "/", kind, "/", token);
}

}  // namespace

StreamingServer::Options StreamingServer::FromConfig(const conf::Config::Streaming& c) {
  Options o;
  o.address = c.address;
  o.port = c.port;
  o.tls_cert = c.tls_cert;
  o.tls_key = c.tls_key;
  o.token_ttl = std::chrono::seconds(c.token_ttl_seconds);
  o.idle_timeout = std::chrono::seconds(c.idle_timeout_seconds);
  o.max_unauthenticated_per_client = static_cast<size_t>(c.max_unauthenticated_per_client);
  o.max_unauthenticated = static_cast<size_t>(c.max_unauthenticated);
  return o;
}

absl::StatusOr<std::unique_ptr<StreamingServer>> StreamingServer::Start(
    Options opts, std::shared_ptr<StreamRuntime> runtime) {
  if (opts.tls_cert.empty() != opts.tls_key.empty()) {
    return absl::InvalidArgumentError("streaming: tls_cert and tls_key go together");
  }
  auto st = std::make_shared<State>(opts, std::move(runtime));
  if (!opts.tls_cert.empty()) {
    ASSIGN_OR_RETURN(st->tls, TlsServerContext::Load(opts.tls_cert, opts.tls_key));
  }
  ASSIGN_OR_RETURN(Listener l, Listen(opts.address, opts.port));
  st->listen_fd = std::move(l.fd);
  st->port = l.port;
  std::string host = opts.address.empty() || opts.address == "localhost" ? "127.0.0.1"
                                                                         : opts.address;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  st->base_url = absl::StrCat(st->tls ? "https://" : "http://", host, ":", l.port);
  st->accept_thread = std::thread(AcceptLoop, st);
  return std::unique_ptr<StreamingServer>(new StreamingServer(st));
}

StreamingServer::~StreamingServer() { Shutdown(); }

absl::StatusOr<std::string> StreamingServer::GetExecUrl(const runtime::v1::ExecRequest& req) {
  return Url(*state_, "exec", req);
}

absl::StatusOr<std::string> StreamingServer::GetAttachUrl(const runtime::v1::AttachRequest& req) {
  return Url(*state_, "attach", req);
}

absl::StatusOr<std::string> StreamingServer::GetPortForwardUrl(
    const runtime::v1::PortForwardRequest& req) {
  return Url(*state_, "portforward", req);
}

std::string StreamingServer::BaseUrl() const { return state_->base_url; }
int StreamingServer::port() const { return state_->port; }

void StreamingServer::Shutdown() {
  if (state_->stop.exchange(true)) return;
  if (state_->accept_thread.joinable()) state_->accept_thread.join();
  state_->listen_fd.Reset();
  // Sessions see stop within a second; exec'd processes are killed as they end.
  std::unique_lock<std::mutex> lock(state_->mu);
  if (!state_->cv.wait_for(lock, std::chrono::seconds(15), [&] { return state_->active == 0; })) {
    sys::LogWarn("streaming server: sessions still ending at shutdown",
                 {{"count", std::to_string(state_->active)}});
  }
}

}  // namespace cricket::cri::streaming
