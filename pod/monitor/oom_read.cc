// Reading the OOM counter: shared by cricket-monitor and the lean
// cricket-monitor-supervise, so it needs nothing but libc.
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "pod/monitor/oom_counter.h"

namespace cricket::pod::monitor {

uint64_t ParseOomKillCount(const std::string& text) {
  // v1 also has "oom_kill_disable", so the key must end at the space.
  static constexpr char kKey[] = "oom_kill ";
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    if (text.compare(pos, sizeof(kKey) - 1, kKey) == 0) {
      return std::strtoull(text.c_str() + pos + sizeof(kKey) - 1, nullptr, 10);
    }
    pos = end + 1;
  }
  return 0;
}

std::optional<uint64_t> ReadOomKillCount(int fd) {
  if (fd < 0) return std::nullopt;
  char buf[4096];
  ssize_t n;
  do {
    n = ::pread(fd, buf, sizeof(buf) - 1, 0);
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return std::nullopt;
  return ParseOomKillCount(std::string(buf, static_cast<size_t>(n)));
}

bool OomKilledAtExit(const OomEvidence& e, int exit_code) {
  if (e.own) return *e.own > 0;
  return exit_code == 137 && e.parent && *e.parent > e.parent_base;
}

}  // namespace cricket::pod::monitor
