// ConnectionPace: idle timeout, linger and tick of a streaming connection.
#include "cri/streaming/connection_pace.h"

namespace cricket::cri::streaming {

int64_t ConnectionPace::NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

bool ConnectionPace::StartFinishing() {
  if (finishing_.exchange(true)) return false;
  finish_at_ms_ = NowMs();
  return true;
}

std::optional<absl::Status> ConnectionPace::ReadMore(Transport* t, std::string* buf,
                                                     const std::function<void()>& tick,
                                                     const std::atomic<bool>& stop) {
  int64_t now = NowMs();
  if (stop) return absl::OkStatus();
  if (now - last_tick_ms_ >= 1000) {
    last_tick_ms_ = now;
    tick();
  }
  if (finishing_ && now - finish_at_ms_ > linger_.count()) return absl::OkStatus();
  if (now - last_activity_ms_ > idle_timeout_.count() * 1000) {
    return absl::DeadlineExceededError("streaming connection idle for too long");
  }
  ssize_t n = t->Read(chunk_.data(), chunk_.size(), 1000);
  if (n == Transport::kTimeout) return std::nullopt;
  if (n == 0) return absl::OkStatus();
  if (n < 0) {
    // A client that hangs up while we linger has done what we asked.
    if (finishing_) return absl::OkStatus();
    return absl::UnavailableError("streaming connection broke");
  }
  Touch();
  buf->append(chunk_.data(), static_cast<size_t>(n));
  return std::nullopt;
}

}  // namespace cricket::cri::streaming
