// The HTTP/1.1 half of the streaming protocols: parse the URL an Exec/Attach/
// PortForward RPC returned, dial it, send an upgrade request and read the
// response head (the bytes after it already belong to SPDY or WebSocket).
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri::client {

struct StreamUrl {
  std::string host;  // without brackets for IPv6
  uint16_t port = 80;
  std::string path_query;  // "/exec/TOKEN?x=y"
  bool tls = false;        // https://
  std::string HostHeader() const;
};

// http[s]://host[:port]/path; a relative URL is InvalidArgument.
absl::StatusOr<StreamUrl> ParseStreamUrl(std::string_view url);

struct HttpResponseHead {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string rest;                                          // bytes read after the blank line
  // The first value of a header (name in lower case), if present.
  std::optional<std::string> Get(std::string_view name) const;
};

// "HTTP/1.1 101 Switching Protocols\r\nA: b\r\n\r\n..." → head; nullopt while
// the blank line has not arrived; InvalidArgument for a malformed head.
absl::StatusOr<std::optional<HttpResponseHead>> ParseResponseHead(std::string_view bytes);

// TCP connect (any address family) with a deadline; TLS on top for https
// (stream_tls.h), so the fd always carries plaintext.
absl::StatusOr<sys::UniqueFd> DialStreamServer(const StreamUrl& url,
                                               std::chrono::milliseconds timeout);

// Writes `request` and reads until the response head is complete. A status
// other than 101 becomes an error carrying the status line and body.
absl::StatusOr<HttpResponseHead> Upgrade(int fd, std::string_view request,
                                         std::chrono::milliseconds timeout);

// Writes all of `data` to a blocking or non-blocking fd (poll on EAGAIN).
absl::Status WriteAll(int fd, std::string_view data);

// The k8s SPDY upgrade: POST with Upgrade: SPDY/3.1 and one
// X-Stream-Protocol-Version header per protocol, best first.
std::string SpdyUpgradeRequest(const StreamUrl& url, const std::vector<std::string>& protocols);

}  // namespace cricket::cri::client
