// /proc/net/dev parsing and reading it inside a pod's network namespace.
#include "pod/stats_netdev.h"

#include <fcntl.h>
#include <sched.h>

#include <cerrno>
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fds.h"
#include "oci/sys/status.h"
#include "oci/sys/unique_fd.h"

namespace cricket::pod {

absl::StatusOr<std::vector<InterfaceStats>> ParseNetDev(const std::string& text) {
  std::vector<InterfaceStats> out;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    size_t colon = line.find(':');
    if (colon == absl::string_view::npos || line.find('|') != absl::string_view::npos) continue;
    std::string name(absl::StripAsciiWhitespace(line.substr(0, colon)));
    std::vector<absl::string_view> f =
        absl::StrSplit(line.substr(colon + 1), ' ', absl::SkipEmpty());
    uint64_t v[16] = {};
    bool ok = f.size() >= 16;
    for (size_t i = 0; ok && i < 16; ++i) ok = absl::SimpleAtoi(f[i], &v[i]);
    if (!ok) {
      return absl::InvalidArgumentError("/proc/net/dev: malformed line for " + name);
    }
    if (name == "lo") continue;
    // Receive: bytes packets errs drop fifo frame compressed multicast; then Transmit.
    out.push_back({name, v[0], v[2], v[8], v[10]});
  }
  return out;
}

absl::StatusOr<std::vector<InterfaceStats>> ReadNetDevInNetns(const std::string& netns_path) {
  absl::StatusOr<sys::UniqueFd> ns_fd = sys::Open(netns_path, O_RDONLY);
  if (!ns_fd.ok()) return sys::Annotate(ns_fd.status(), "network namespace");
  sys::UniqueFd ns = std::move(*ns_fd);
  absl::StatusOr<std::string> text = absl::InternalError("not read");
  std::thread t([&] {
    // Only this thread changes namespace; it ends right after.
    if (::setns(ns.get(), CLONE_NEWNET) != 0) {
      text = sys::ErrnoStatus(errno, "setns into %s", netns_path);
      return;
    }
    text = sys::ReadFile("/proc/thread-self/net/dev");
  });
  t.join();
  if (!text.ok()) return sys::Annotate(text.status(), "network stats of %s", netns_path);
  return ParseNetDev(*text);
}

}  // namespace cricket::pod
