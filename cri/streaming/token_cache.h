// Single-use tokens for streaming URLs: Exec/Attach/PortForward store their
// request under a random token; the first HTTP request with it consumes it.
// Unknown, used or expired tokens are not found (the server answers 404).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "cri/api/api.h"

namespace cricket::cri::streaming {

using StreamRequest = std::variant<runtime::v1::ExecRequest, runtime::v1::AttachRequest,
                                   runtime::v1::PortForwardRequest>;

class TokenCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // The kubelet's limit on URLs handed out and not yet used.
  static constexpr size_t kMaxInFlight = 1000;

  explicit TokenCache(std::chrono::seconds ttl, Clock clock = std::chrono::steady_clock::now)
      : ttl_(ttl), clock_(std::move(clock)) {}

  // ResourceExhausted when kMaxInFlight unexpired tokens are waiting.
  absl::StatusOr<std::string> Insert(StreamRequest req);
  // The request, once: the token is gone afterwards.
  std::optional<StreamRequest> Consume(const std::string& token);
  size_t size();

 private:
  void EvictExpiredLocked(std::chrono::steady_clock::time_point now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  struct Entry {
    StreamRequest req;
    std::chrono::steady_clock::time_point expires;
  };
  const std::chrono::seconds ttl_;
  const Clock clock_;
  absl::Mutex mu_;
  std::map<std::string, Entry> entries_ ABSL_GUARDED_BY(mu_);
};

// n random bytes (getrandom) as unpadded base64url.
absl::StatusOr<std::string> RandomToken(size_t n);

}  // namespace cricket::cri::streaming
