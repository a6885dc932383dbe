// GET /metrics over plain HTTP/1.1: a listener thread that answers each
// connection once and closes it. A bad or slow client costs at most the
// socket timeout and never the daemon.
#include "cri/daemon/metrics_endpoint.h"

#include <netdb.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "cri/service/metrics_registry.h"
#include "cri/streaming/http_request.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"
#include "pod/state.h"

namespace cricket::cri {
namespace {

// A scraper that has not sent its request (or read the answer) by then is
// dropped.
constexpr int kIoTimeoutSeconds = 5;

absl::StatusOr<sys::UniqueFd> Listen(const std::string& address, int port, int* bound_port) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* res = nullptr;
  const std::string service = std::to_string(port);
  if (int rc = ::getaddrinfo(address.c_str(), service.c_str(), &hints, &res); rc != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics address ", address, ": ", ::gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> owned(res, ::freeaddrinfo);
  sys::UniqueFd fd(::socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return sys::ErrnoStatus(errno, "metrics socket");
  const int one = 1;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (::bind(fd.get(), res->ai_addr, res->ai_addrlen) != 0) {
    return sys::ErrnoStatus(errno, "bind metrics endpoint %s port %d", address, port);
  }
  if (::listen(fd.get(), 16) != 0) return sys::ErrnoStatus(errno, "listen on metrics endpoint");
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd.get(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) {
    return sys::ErrnoStatus(errno, "getsockname of metrics endpoint");
  }
  *bound_port = ntohs(ss.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                               : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  return fd;
}

// Reads up to the end of the request head; "" when the client sent none.
std::string ReadHead(int fd) {
  std::string buf;
  char chunk[2048];
  while (buf.size() <= streaming::kMaxRequestHead) {
    if (auto end = streaming::FindHeadEnd(buf)) return buf.substr(0, *end);
    ssize_t n = ::recv(fd, chunk, sizeof chunk, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return buf.empty() ? "" : buf + "\r\n\r\n";  // EOF or timeout: answer what came
    buf.append(chunk, static_cast<size_t>(n));
  }
  return buf;  // too long: the parser refuses it
}

void SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the scraper went away: nothing to tell it
    data.remove_prefix(static_cast<size_t>(n));
  }
}

template <typename State>
std::map<std::string, double> ZeroedStates(std::initializer_list<State> states) {
  std::map<std::string, double> m;
  for (State s : states) m[std::string(pod::Name(s))] = 0;
  return m;
}

}  // namespace

std::string MetricsHttpResponse(std::string_view head, const MetricsEndpoint::RenderFn& render) {
  if (head.size() > streaming::kMaxRequestHead) {
    return streaming::HttpErrorResponse(400, "request head too long");
  }
  auto req = streaming::ParseHttpRequest(head);
  if (!req.ok()) return streaming::HttpErrorResponse(400, std::string(req.status().message()));
  if (req->method != "GET" && req->method != "HEAD") {
    return streaming::HttpErrorResponse(405, "only GET /metrics", {{"Allow", "GET, HEAD"}});
  }
  if (req->path != "/metrics") return streaming::HttpErrorResponse(404, "try /metrics");
  const std::string body = render();
  std::string out = absl::StrCat(
      "HTTP/1.1 200 OK\r\nContent-Type: text/plain; "
      "version=0.0.4; charset=utf-8\r\n"
      "Content-Length: ",
      body.size(), "\r\nConnection: close\r\n\r\n");
  if (req->method == "GET") out += body;
  return out;
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> MetricsEndpoint::Start(const std::string& address,
                                                                        int port, RenderFn render) {
  std::unique_ptr<MetricsEndpoint> e(new MetricsEndpoint());
  ASSIGN_OR_RETURN(e->listener_, Listen(address, port, &e->port_));
  e->wake_ = sys::UniqueFd(::eventfd(0, EFD_CLOEXEC));
  if (!e->wake_.valid()) return sys::ErrnoStatus(errno, "eventfd for metrics endpoint");
  e->render_ = std::move(render);
  e->thread_ = std::thread([p = e.get()] { p->Loop(); });
  return e;
}

MetricsEndpoint::~MetricsEndpoint() {
  if (thread_.joinable()) {
    const uint64_t one = 1;
    if (::write(wake_.get(), &one, sizeof one) != sizeof one) {
      sys::LogWarn("cannot wake the metrics thread", {{"errno", std::to_string(errno)}});
    }
    thread_.join();
  }
}

void MetricsEndpoint::Loop() {
  for (;;) {
    pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {wake_.get(), POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      sys::LogError("metrics endpoint stops", {{"error", std::string(strerror(errno))}});
      return;
    }
    if (fds[1].revents != 0) return;
    if (fds[0].revents == 0) continue;
    sys::UniqueFd conn(::accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (conn.valid()) Serve(std::move(conn));
  }
}

void MetricsEndpoint::Serve(sys::UniqueFd conn) {
  const timeval tv{kIoTimeoutSeconds, 0};
  ::setsockopt(conn.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(conn.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  const std::string head = ReadHead(conn.get());
  if (head.empty()) return;
  SendAll(conn.get(), MetricsHttpResponse(head, render_));
}

std::string ScrapeMetrics(const HandlerContext& ctx) {
  std::string out = MetricsRegistry::Global().Render();
  using CS = pod::ContainerState;
  using SS = pod::SandboxState;
  auto containers =
      ZeroedStates({CS::kCreating, CS::kCreated, CS::kRunning, CS::kExited, CS::kUnknown});
  auto pods = ZeroedStates({SS::kCreating, SS::kReady, SS::kNotReady});
  for (const auto& c : ctx.containers->List({})) containers[std::string(pod::Name(c.state()))]++;
  for (const auto& s : ctx.sandboxes->List({})) pods[std::string(pod::Name(s.state()))]++;
  RenderGauge("cricket_containers", "Containers known to cricketd, by state.", "state", containers,
              out);
  RenderGauge("cricket_pods", "Pod sandboxes known to cricketd, by state.", "state", pods, out);
  RenderGauge("cricket_build_info", "cricketd's version (the value is always 1).", "version",
              {{CRICKET_VERSION, 1}}, out);
  return out;
}

absl::StatusOr<std::unique_ptr<MetricsEndpoint>> StartMetricsEndpoint(
    std::shared_ptr<const HandlerContext> ctx) {
  const conf::Config::Metrics& m = ctx->config.metrics;
  if (!m.enabled) return nullptr;
  RETURN_IF_ERROR(CheckWired(*ctx));  // ScrapeMetrics lists pods and containers
  auto endpoint = MetricsEndpoint::Start(m.address, m.port, [ctx] { return ScrapeMetrics(*ctx); });
  if (!endpoint.ok()) return sys::Annotate(endpoint.status(), "metrics endpoint");
  sys::LogInfo(
      "metrics endpoint serving",
      {{"url",
        absl::StrCat("http://",
                     m.address.find(':') != std::string::npos ? "[" + m.address + "]" : m.address,
                     ":", (*endpoint)->port(), "/metrics")}});
  return endpoint;
}

}  // namespace cricket::cri
