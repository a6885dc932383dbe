// UnauthenticatedLimits: caps on the streaming connections that have not yet
// shown a valid token, per client address and in total. The streaming port
// answers anyone who can reach it, so without a cap a flood of connections
// that never send a request (or send it a byte at a time) holds every
// connection slot and thread until the head timeout, and the kubelet's real
// exec/attach is refused.
//
// Over a cap, the OLDEST unauthenticated connection (of that client, or of
// all) is shut down to make room, rather than the new one refused: the
// kubelet proxies every real session from the same address as anyone else on
// the node, and a real client sends its request at once, so it is the newest
// and survives, while idle ones age out first. A connection that shows a valid
// token leaves the count (its session is capped by max_connections only).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <string>

#include "oci/sys/unique_fd.h"

namespace cricket::cri::streaming {

class UnauthenticatedLimits {
 public:
  UnauthenticatedLimits(size_t per_client, size_t total)
      : per_client_(per_client), total_(total) {}

  // Counts a new connection of `client` (its address) and returns its
  // ticket, first shutting down the oldest ones over the caps. `fd` is
  // dup'ed: the limiter can shut the socket down even after the connection's
  // own fd is closed and its number reused.
  uint64_t Admit(const std::string& client, int fd);
  // The connection showed a token, or ended. Idempotent; 0 is no ticket.
  void Release(uint64_t ticket);
  size_t count() const;

 private:
  struct Entry {
    std::string client;
    sys::UniqueFd fd;
  };
  void EvictLocked(uint64_t ticket);  // shuts the socket down, then erases
  void EraseLocked(uint64_t ticket);

  const size_t per_client_, total_;
  mutable std::mutex mu_;
  uint64_t next_ = 1;
  std::map<uint64_t, Entry> conns_;                      // oldest first
  std::map<std::string, std::set<uint64_t>> by_client_;  // oldest first
};

// Holds one ticket; releases it when the connection is authenticated or ends.
class UnauthenticatedSlot {
 public:
  UnauthenticatedSlot() = default;
  UnauthenticatedSlot(const UnauthenticatedSlot&) = delete;
  UnauthenticatedSlot& operator=(const UnauthenticatedSlot&) = delete;
  ~UnauthenticatedSlot() { Release(); }
  void Hold(UnauthenticatedLimits* limits, uint64_t ticket) {
    Release();
    limits_ = limits;
    ticket_ = ticket;
  }
  void Release() {
    if (limits_ != nullptr) limits_->Release(ticket_);
    limits_ = nullptr;
  }

 private:
  UnauthenticatedLimits* limits_ = nullptr;
  uint64_t ticket_ = 0;
};

}  // namespace cricket::cri::streaming
