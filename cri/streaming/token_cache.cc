// The streaming token cache: random single-use tokens with a deadline.
#include "cri/streaming/token_cache.h"

#include <sys/random.h>

#include <cerrno>

#include "cri/wire/base64.h"
#include "oci/sys/status.h"

namespace cricket::cri::streaming {

absl::StatusOr<std::string> RandomToken(size_t n) {
  std::string raw(n, '\0');
  size_t got = 0;
  while (got < n) {
    ssize_t r = getrandom(raw.data() + got, n - got, 0);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return sys::ErrnoStatus(errno, "getrandom for a streaming token");
    got += static_cast<size_t>(r);
  }
  return wire::Base64UrlEncode(raw);
}

absl::StatusOr<std::string> TokenCache::Insert(StreamRequest req) {
  // 16 bytes: unguessable, and short enough for a URL (the kubelet uses 8).
  ASSIGN_OR_RETURN(std::string token, RandomToken(16));
  absl::MutexLock lock(&mu_);
  auto now = clock_();
  EvictExpiredLocked(now);
  if (entries_.size() >= kMaxInFlight) {
    return absl::ResourceExhaustedError("too many streaming requests in flight");
  }
  entries_[token] = Entry{std::move(req), now + ttl_};
  return token;
}

std::optional<StreamRequest> TokenCache::Consume(const std::string& token) {
  absl::MutexLock lock(&mu_);
  auto it = entries_.find(token);
  if (it == entries_.end()) return std::nullopt;
  Entry e = std::move(it->second);
  entries_.erase(it);
  if (clock_() >= e.expires) return std::nullopt;
  return std::move(e.req);
}

size_t TokenCache::size() {
  absl::MutexLock lock(&mu_);
  EvictExpiredLocked(clock_());
  return entries_.size();
}

void TokenCache::EvictExpiredLocked(std::chrono::steady_clock::time_point now) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    it = now >= it->second.expires ? entries_.erase(it) : std::next(it);
  }
}

}  // namespace cricket::cri::streaming
