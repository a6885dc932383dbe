// UnauthenticatedLimits: the bookkeeping, and the eviction by shutdown(2)
// that makes the evicted connection's thread read EOF and end.
#include "cri/streaming/unauth_limits.h"

#include <fcntl.h>
#include <sys/socket.h>

#include "oci/sys/log.h"

namespace cricket::cri::streaming {

uint64_t UnauthenticatedLimits::Admit(const std::string& client, int fd) {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto mine = by_client_.find(client);
       per_client_ > 0 && mine != by_client_.end() && mine->second.size() >= per_client_;
       mine = by_client_.find(client)) {
    EvictLocked(*mine->second.begin());
  }
  while (total_ > 0 && !conns_.empty() && conns_.size() >= total_) {
    EvictLocked(conns_.begin()->first);
  }
  uint64_t ticket = next_++;
  // Without the dup (EMFILE) the connection still counts; it just cannot be
  // shut down early, and its head timeout ends it.
  conns_[ticket] = Entry{client, sys::UniqueFd(::fcntl(fd, F_DUPFD_CLOEXEC, 0))};
  by_client_[client].insert(ticket);
  return ticket;
}

void UnauthenticatedLimits::EvictLocked(uint64_t ticket) {
  auto it = conns_.find(ticket);
  if (it == conns_.end()) return;
  sys::LogDebug("streaming: closing an unauthenticated connection to make room",
                {{"client", it->second.client}});
  if (it->second.fd) ::shutdown(it->second.fd.get(), SHUT_RDWR);
  EraseLocked(ticket);
}

void UnauthenticatedLimits::Release(uint64_t ticket) {
  std::lock_guard<std::mutex> lock(mu_);
  EraseLocked(ticket);
}

void UnauthenticatedLimits::EraseLocked(uint64_t ticket) {
  auto it = conns_.find(ticket);
  if (it == conns_.end()) return;
  auto c = by_client_.find(it->second.client);
  c->second.erase(ticket);
  if (c->second.empty()) by_client_.erase(c);
  conns_.erase(it);
}

size_t UnauthenticatedLimits::count() const {
  std::lock_guard<std::mutex> lock(mu_);
  return conns_.size();
}

}  // namespace cricket::cri::streaming
