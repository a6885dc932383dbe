// ConnectionPace: the timing the SPDY and WebSocket frame loops share — the
// idle timeout, the linger after a local finish, the handler's once-a-second
// tick — and the read that waits for the next bytes.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "cri/streaming/transport.h"

namespace cricket::cri::streaming {

class ConnectionPace {
 public:
  ConnectionPace(std::chrono::seconds idle_timeout, std::chrono::milliseconds linger)
      : idle_timeout_(idle_timeout), linger_(linger) {}

  static int64_t NowMs();
  // Something crossed the connection: the idle clock starts again.
  void Touch() { last_activity_ms_ = NowMs(); }
  // Marks the connection finishing; false if it already was (send nothing twice).
  bool StartFinishing();
  bool finishing() const { return finishing_; }

  // One wait for input, once the buffered frames are handled: ticks, ends
  // after the linger or on `stop`, fails after the idle timeout, then reads
  // into *buf. nullopt: go on with the loop; otherwise Serve returns that.
  std::optional<absl::Status> ReadMore(Transport* t, std::string* buf,
                                       const std::function<void()>& tick,
                                       const std::atomic<bool>& stop);

 private:
  const std::chrono::seconds idle_timeout_;
  const std::chrono::milliseconds linger_;
  std::string chunk_ = std::string(64 * 1024, '\0');
  int64_t last_tick_ms_ = NowMs();
  std::atomic<bool> finishing_{false};
  std::atomic<int64_t> finish_at_ms_{0};
  std::atomic<int64_t> last_activity_ms_{NowMs()};
};

}  // namespace cricket::cri::streaming
