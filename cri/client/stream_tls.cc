// A TLS client relay for streaming connections (OpenSSL).
#include "cri/client/stream_tls.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "cri/client/stream_http.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"

namespace cricket::cri::client {
namespace {

struct SslCtxFree {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
  void operator()(SSL* s) const { SSL_free(s); }
};
using SslPtr = std::unique_ptr<SSL, SslFree>;

std::string SslError(const char* what) {
  unsigned long e = ERR_get_error();
  char buf[256] = "unknown error";
  if (e != 0) ERR_error_string_n(e, buf, sizeof(buf));
  return absl::StrCat(what, ": ", buf);
}

bool IsIpLiteral(const std::string& host) {
  unsigned char addr[16];
  return inet_pton(AF_INET, host.c_str(), addr) == 1 || inet_pton(AF_INET6, host.c_str(), addr) == 1;
}

// After a non-blocking SSL call returned `ret`: waits until the socket can
// do what OpenSSL asked for. False when the connection is over.
bool WaitForSsl(SSL* ssl, int fd, int ret) {
  int err = SSL_get_error(ssl, ret);
  if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return false;
  pollfd p{fd, static_cast<short>(err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT), 0};
  while (poll(&p, 1, -1) < 0) {
    if (errno != EINTR) return false;
  }
  return true;
}

bool SslWriteAll(SSL* ssl, int fd, const char* data, int n) {
  while (true) {
    int w = SSL_write(ssl, data, n);
    if (w > 0) return true;  // without partial-write mode, all of it
    if (!WaitForSsl(ssl, fd, w)) return false;
  }
}

// Copies both ways until either side ends. One thread does both directions,
// so no two OpenSSL calls on `ssl` ever overlap. The TLS socket is
// non-blocking: a record that carries no data (a TLS 1.3 session ticket) must
// not park the thread in SSL_read while our side has bytes to send.
void Relay(SslPtr ssl, sys::UniqueFd tcp, sys::UniqueFd plain) {
  char buf[16 * 1024];
  while (true) {
    pollfd p[2] = {{tcp.get(), POLLIN, 0}, {plain.get(), POLLIN, 0}};
    // Bytes OpenSSL already decrypted are not visible to poll.
    if (SSL_pending(ssl.get()) == 0 && poll(p, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (SSL_pending(ssl.get()) > 0 || (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      int n = SSL_read(ssl.get(), buf, sizeof(buf));
      if (n > 0) {
        if (!WriteAll(plain.get(), std::string_view(buf, n)).ok()) break;
      } else if (SSL_get_error(ssl.get(), n) != SSL_ERROR_WANT_READ &&
                 !WaitForSsl(ssl.get(), tcp.get(), n)) {
        break;
      }
    }
    if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(plain.get(), buf, sizeof(buf));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        SSL_shutdown(ssl.get());
        break;
      }
      if (!SslWriteAll(ssl.get(), tcp.get(), buf, static_cast<int>(n))) break;
    }
  }
}

}  // namespace

absl::StatusOr<sys::UniqueFd> WrapInTls(sys::UniqueFd tcp, const std::string& host,
                                        std::chrono::milliseconds timeout) {
  std::unique_ptr<SSL_CTX, SslCtxFree> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return absl::InternalError(SslError("TLS context"));
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SslPtr ssl(SSL_new(ctx.get()));
  if (!ssl) return absl::InternalError(SslError("TLS session"));
  // The handshake runs blocking, bounded by socket timeouts.
  int flags = fcntl(tcp.get(), F_GETFL);
  fcntl(tcp.get(), F_SETFL, flags & ~O_NONBLOCK);
  timeval tv{static_cast<time_t>(timeout.count() / 1000),
             static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  setsockopt(tcp.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(tcp.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  SSL_set_fd(ssl.get(), tcp.get());
  if (!IsIpLiteral(host)) SSL_set_tlsext_host_name(ssl.get(), host.c_str());
  if (SSL_connect(ssl.get()) != 1) {
    return absl::UnavailableError(SslError(absl::StrCat("TLS handshake with ", host).c_str()));
  }
  fcntl(tcp.get(), F_SETFL, flags | O_NONBLOCK);
  ASSIGN_OR_RETURN(sys::SocketPairFds pair, sys::SocketPair(SOCK_STREAM, "TLS relay"));
  sys::UniqueFd mine = std::move(pair.first), relay_end = std::move(pair.second);
  fcntl(mine.get(), F_SETFL, fcntl(mine.get(), F_GETFL) | O_NONBLOCK);
  // Detached: it ends when either the server or our end of the pair closes.
  std::thread(Relay, std::move(ssl), std::move(tcp), std::move(relay_end)).detach();
  return mine;
}

}  // namespace cricket::cri::client
