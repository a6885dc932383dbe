// Plain and TLS transports. TLS runs the socket non-blocking under a mutex,
// because OpenSSL does not allow SSL_read and SSL_write on one SSL object
// from two threads at once.
#include "cri/streaming/transport.h"

#include <fcntl.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>

#include "absl/strings/str_cat.h"

namespace cricket::cri::streaming {
namespace {

// poll() for one event; false on timeout or error.
bool WaitFd(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  int r;
  do {
    r = ::poll(&p, 1, timeout_ms);
  } while (r < 0 && errno == EINTR);
  return r > 0;
}

class PlainTransport : public Transport {
 public:
  explicit PlainTransport(sys::UniqueFd fd) : fd_(std::move(fd)) {}
  ssize_t Read(char* buf, size_t n, int timeout_ms) override {
    if (down_) return -1;
    pollfd p{fd_.get(), POLLIN, 0};
    int r;
    do {
      r = ::poll(&p, 1, timeout_ms);
    } while (r < 0 && errno == EINTR);
    if (r == 0) return kTimeout;
    if (r < 0) return -1;
    ssize_t got;
    do {
      got = ::recv(fd_.get(), buf, n, 0);
    } while (got < 0 && errno == EINTR);
    return got < 0 ? -1 : got;
  }
  bool Write(std::string_view data) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    while (!data.empty()) {
      if (down_) return false;
      ssize_t w = ::send(fd_.get(), data.data(), data.size(), MSG_NOSIGNAL);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return false;
      data.remove_prefix(static_cast<size_t>(w));
    }
    return true;
  }
  void Shutdown() override {
    down_ = true;
    ::shutdown(fd_.get(), SHUT_RDWR);
  }

 private:
  sys::UniqueFd fd_;
  std::mutex write_mu_;
  std::atomic<bool> down_{false};
};

class TlsTransport : public Transport {
 public:
  TlsTransport(sys::UniqueFd fd, SSL* ssl) : fd_(std::move(fd)), ssl_(ssl) {}
  ~TlsTransport() override { SSL_free(ssl_); }

  ssize_t Read(char* buf, size_t n, int timeout_ms) override {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (!down_) {
      int r, err;
      {
        std::lock_guard<std::mutex> lock(ssl_mu_);
        r = SSL_read(ssl_, buf, static_cast<int>(n));
        err = r > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, r);
      }
      if (r > 0) return r;
      if (err == SSL_ERROR_ZERO_RETURN) return 0;
      if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return -1;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                      deadline - std::chrono::steady_clock::now()).count();
      if (left <= 0) return kTimeout;
      WaitFd(fd_.get(), err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, static_cast<int>(left));
    }
    return -1;
  }

  bool Write(std::string_view data) override {
    std::lock_guard<std::mutex> wlock(write_mu_);
    while (!data.empty() && !down_) {
      int r, err;
      {
        std::lock_guard<std::mutex> lock(ssl_mu_);
        r = SSL_write(ssl_, data.data(), static_cast<int>(data.size()));
        err = r > 0 ? SSL_ERROR_NONE : SSL_get_error(ssl_, r);
      }
      if (r > 0) {
        data.remove_prefix(static_cast<size_t>(r));
        continue;
      }
      if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) return false;
      WaitFd(fd_.get(), err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, 1000);
    }
    return data.empty();
  }

  void Shutdown() override {
    down_ = true;
    ::shutdown(fd_.get(), SHUT_RDWR);
  }

 private:
  sys::UniqueFd fd_;
  SSL* ssl_;
  std::mutex ssl_mu_, write_mu_;
  std::atomic<bool> down_{false};
};

std::string SslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof(buf));
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown TLS error" : out;
}

}  // namespace

std::unique_ptr<Transport> MakePlainTransport(sys::UniqueFd fd) {
  return std::make_unique<PlainTransport>(std::move(fd));
}

absl::StatusOr<std::unique_ptr<TlsServerContext>> TlsServerContext::Load(const std::string& cert,
                                                                         const std::string& key) {
  SSL_CTX* ctx = SSL_CTX_new(TLS_server_method());
  if (!ctx) return absl::InternalError("SSL_CTX_new: " + SslErrors());
  std::unique_ptr<TlsServerContext> out(new TlsServerContext(ctx));
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert.c_str()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("streaming tls_cert ", cert, ": ", SslErrors()));
  }
  if (SSL_CTX_use_PrivateKey_file(ctx, key.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    return absl::InvalidArgumentError(absl::StrCat("streaming tls_key ", key, ": ", SslErrors()));
  }
  return out;
}

TlsServerContext::~TlsServerContext() { SSL_CTX_free(static_cast<SSL_CTX*>(ctx_)); }

absl::StatusOr<std::unique_ptr<Transport>> TlsServerContext::Accept(sys::UniqueFd fd,
                                                                    int timeout_ms) {
  int flags = ::fcntl(fd.get(), F_GETFL);
  ::fcntl(fd.get(), F_SETFL, flags | O_NONBLOCK);
  SSL* ssl = SSL_new(static_cast<SSL_CTX*>(ctx_));
  if (!ssl) return absl::InternalError("SSL_new: " + SslErrors());
  SSL_set_fd(ssl, fd.get());
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    int r = SSL_accept(ssl);
    if (r == 1) break;
    int err = SSL_get_error(ssl, r);
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now()).count();
    if ((err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) || left <= 0) {
      std::string why = left <= 0 ? "timed out" : SslErrors();
      SSL_free(ssl);
      return absl::UnavailableError("TLS handshake: " + why);
    }
    WaitFd(fd.get(), err == SSL_ERROR_WANT_READ ? POLLIN : POLLOUT, static_cast<int>(left));
  }
  return std::unique_ptr<Transport>(std::make_unique<TlsTransport>(std::move(fd), ssl));
}

}  // namespace cricket::cri::streaming
