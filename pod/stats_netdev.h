// Network usage of a pod: rx/tx bytes and errors per interface, read from
// /proc/net/dev as seen inside the pod's pinned network namespace.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::pod {

struct InterfaceStats {
  std::string name;
  uint64_t rx_bytes = 0, rx_errors = 0, tx_bytes = 0, tx_errors = 0;
};

// /proc/net/dev text → its interfaces, loopback left out (the kubelet's
// view of a pod's traffic). InvalidArgument on a malformed line.
absl::StatusOr<std::vector<InterfaceStats>> ParseNetDev(const std::string& text);

// Reads /proc/thread-self/net/dev on a short-lived thread that setns()es into
// the namespace pinned at netns_path, so cricketd's own threads never move.
absl::StatusOr<std::vector<InterfaceStats>> ReadNetDevInNetns(const std::string& netns_path);

}  // namespace cricket::pod
