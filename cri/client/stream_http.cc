// URL parsing, dialing and the HTTP/1.1 upgrade exchange for streaming.
#include "cri/client/stream_http.h"

#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cri/client/stream_tls.h"
#include "oci/sys/status.h"

namespace cricket::cri::client {
namespace {

constexpr size_t kMaxHead = 64 * 1024;

int RemainingMs(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() < 0 ? 0 : static_cast<int>(left.count());
}

absl::StatusOr<sys::UniqueFd> Secure(sys::UniqueFd fd, const StreamUrl& url,
                                     std::chrono::milliseconds timeout) {
  if (!url.tls) return fd;
  return WrapInTls(std::move(fd), url.host, timeout);
}

}  // namespace

std::string StreamUrl::HostHeader() const {
  std::string h = host.find(':') != std::string::npos ? absl::StrCat("[", host, "]") : host;
  return absl::StrCat(h, ":", port);
}

absl::StatusOr<StreamUrl> ParseStreamUrl(std::string_view url) {
  std::string u(url);
  bool tls = absl::StartsWith(u, "https://");
  if (!tls && !absl::StartsWith(u, "http://")) {
    return absl::InvalidArgumentError(
        absl::StrCat("streaming URL \"", u, "\" is not an absolute http(s):// URL"));
  }
  std::string_view rest = std::string_view(u).substr(tls ? 8 : 7);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  StreamUrl out;
  out.path_query = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("streaming URL ", u, ": bad IPv6 host"));
    }
    out.host = std::string(authority.substr(1, close - 1));
    if (close + 1 < authority.size() && authority[close + 1] == ':') {
      port_text = authority.substr(close + 2);
    }
  } else {
    size_t colon = authority.rfind(':');
    out.host = std::string(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
  }
  int port = tls ? 443 : 80;
  if (!port_text.empty() &&
      (!absl::SimpleAtoi(absl::string_view(port_text.data(), port_text.size()), &port) ||
       port <= 0 || port > 65535)) {
    return absl::InvalidArgumentError(absl::StrCat("streaming URL ", u, ": bad port"));
  }
  if (out.host.empty())
    return absl::InvalidArgumentError(absl::StrCat("streaming URL ", u, ": no host"));
  out.port = port;
  out.tls = tls;
  return out;
}

std::optional<std::string> HttpResponseHead::Get(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return std::nullopt;
}

absl::StatusOr<std::optional<HttpResponseHead>> ParseResponseHead(std::string_view bytes) {
  size_t end = bytes.find("\r\n\r\n");
  if (end == std::string_view::npos) {
    if (bytes.size() > kMaxHead) return absl::InvalidArgumentError("HTTP response head too large");
    return std::nullopt;
  }
  std::vector<std::string> lines = absl::StrSplit(std::string(bytes.substr(0, end)), "\r\n");
  HttpResponseHead head;
  std::vector<std::string> status = absl::StrSplit(lines[0], absl::MaxSplits(' ', 2));
  if (status.size() < 2 || !absl::StartsWith(status[0], "HTTP/1.") ||
      !absl::SimpleAtoi(status[1], &head.status)) {
    return absl::InvalidArgumentError(absl::StrCat("bad HTTP status line \"", lines[0], "\""));
  }
  if (status.size() == 3) head.reason = status[2];
  for (size_t i = 1; i < lines.size(); i++) {
    size_t colon = lines[i].find(':');
    if (colon == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("bad HTTP header line \"", lines[i], "\""));
    }
    head.headers.emplace_back(absl::AsciiStrToLower(lines[i].substr(0, colon)),
                              std::string(absl::StripAsciiWhitespace(lines[i].substr(colon + 1))));
  }
  head.rest = std::string(bytes.substr(end + 4));
  return head;
}

absl::StatusOr<sys::UniqueFd> DialStreamServer(const StreamUrl& url,
                                               std::chrono::milliseconds timeout) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  std::string port = std::to_string(url.port);
  if (int rc = getaddrinfo(url.host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    return absl::UnavailableError(
        absl::StrCat("resolve streaming server ", url.host, ": ", gai_strerror(rc)));
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> guard(res, freeaddrinfo);
  absl::Status last = absl::UnavailableError("no address");
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (addrinfo* a = res; a; a = a->ai_next) {
    sys::UniqueFd fd(socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!fd) return sys::ErrnoStatus(errno, "socket for streaming server");
    if (connect(fd.get(), a->ai_addr, a->ai_addrlen) == 0) return Secure(std::move(fd), url, timeout);
    if (errno != EINPROGRESS) {
      last = sys::ErrnoStatus(errno, "connect to streaming server %s", url.HostHeader());
      continue;
    }
    pollfd p{fd.get(), POLLOUT, 0};
    if (poll(&p, 1, RemainingMs(deadline)) != 1) {
      last =
          absl::DeadlineExceededError(absl::StrCat("connect to ", url.HostHeader(), ": timeout"));
      continue;
    }
    int err = 0;
    socklen_t len = sizeof(err);
    getsockopt(fd.get(), SOL_SOCKET, SO_ERROR, &err, &len);
    if (err == 0) return Secure(std::move(fd), url, timeout);
    last = sys::ErrnoStatus(err, "connect to streaming server %s", url.HostHeader());
  }
  return last;
}

absl::Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {
      pollfd p{fd, POLLOUT, 0};
      poll(&p, 1, -1);
      continue;
    }
    if (n < 0) return sys::ErrnoStatus(errno, "write");
    data.remove_prefix(n);
  }
  return absl::OkStatus();
}

absl::StatusOr<HttpResponseHead> Upgrade(int fd, std::string_view request,
                                         std::chrono::milliseconds timeout) {
  RETURN_IF_ERROR(WriteAll(fd, request));
  auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string got;
  char buf[8192];
  while (true) {
    ASSIGN_OR_RETURN(auto head, ParseResponseHead(got));
    if (head) {
      if (head->status == 101) return *head;
      // Read a little of the body: servers explain refusals there.
      pollfd p{fd, POLLIN, 0};
      if (head->rest.empty() && poll(&p, 1, 200) == 1) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n > 0) head->rest.append(buf, n);
      }
      std::string body(absl::StripAsciiWhitespace(head->rest));
      return absl::FailedPreconditionError(absl::StrCat("streaming server answered ", head->status,
                                                        " ", head->reason, body.empty() ? "" : ": ",
                                                        body.substr(0, 512)));
    }
    pollfd p{fd, POLLIN, 0};
    int rc = poll(&p, 1, RemainingMs(deadline));
    if (rc == 0) return absl::DeadlineExceededError("streaming server: no upgrade response");
    if (rc < 0 && errno != EINTR) return sys::ErrnoStatus(errno, "poll streaming server");
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n < 0) return sys::ErrnoStatus(errno, "read upgrade response");
    if (n == 0)
      return absl::UnavailableError(
          "streaming server closed the connection before "
          "answering the upgrade");
    got.append(buf, n);
  }
}

std::string SpdyUpgradeRequest(const StreamUrl& url, const std::vector<std::string>& protocols) {
  std::string r = absl::StrCat("POST ", url.path_query, " HTTP/1.1\r\nHost: ", url.HostHeader(),
                               "\r\nUser-Agent: cricketctl\r\nContent-Length: 0\r\n"
                               "Connection: Upgrade\r\nUpgrade: SPDY/3.1\r\n");
  for (const auto& p : protocols) absl::StrAppend(&r, "X-Stream-Protocol-Version: ", p, "\r\n");
  return r + "\r\n";
}

}  // namespace cricket::cri::client
