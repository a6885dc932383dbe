// A client connection of the streaming server as bytes in and out: plain TCP
// or TLS (OpenSSL). Writes are thread-safe (relay threads share one
// connection); one thread reads.
#pragma once

#include <sys/types.h>

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri::streaming {

class Transport {
 public:
  static constexpr ssize_t kTimeout = -2;
  virtual ~Transport() = default;
  // > 0 bytes read, 0 at EOF, -1 on error, kTimeout when nothing came in timeout_ms.
  virtual ssize_t Read(char* buf, size_t n, int timeout_ms) = 0;
  // All of data, or false once the connection is broken or shut down.
  virtual bool Write(std::string_view data) = 0;
  // Wakes a blocked Read and Write; both fail from now on.
  virtual void Shutdown() = 0;
};

std::unique_ptr<Transport> MakePlainTransport(sys::UniqueFd fd);

// A server certificate and key loaded once; Accept runs one TLS handshake.
class TlsServerContext {
 public:
  static absl::StatusOr<std::unique_ptr<TlsServerContext>> Load(const std::string& cert,
                                                                const std::string& key);
  ~TlsServerContext();
  absl::StatusOr<std::unique_ptr<Transport>> Accept(sys::UniqueFd fd, int timeout_ms);

 private:
  explicit TlsServerContext(void* ctx) : ctx_(ctx) {}
  void* ctx_;  // SSL_CTX*
};

}  // namespace cricket::cri::streaming
