// Per-pod CNI "runtimeConfig" (the capability arguments): host ports for the
// portmap plugin, bandwidth, DNS and requested IPs, filtered per plugin to
// the capabilities it declares, as libcni does.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "nlohmann/json_fwd.hpp"

namespace cricket::network {

struct PortMapping {
  int host_port = 0;
  int container_port = 0;
  std::string protocol = "tcp";  // tcp | udp | sctp (lower case)
  std::string host_ip;           // "" = every host address
  bool operator==(const PortMapping&) const = default;
};

struct DnsSettings {
  std::vector<std::string> servers;
  std::vector<std::string> searches;
  std::vector<std::string> options;
  bool operator==(const DnsSettings&) const = default;
};

// Bits per second and bits of burst, as the bandwidth plugin wants them.
struct Bandwidth {
  int64_t ingress_rate = 0, ingress_burst = 0;
  int64_t egress_rate = 0, egress_burst = 0;
  bool operator==(const Bandwidth&) const = default;
};

struct RuntimeConfig {
  std::vector<PortMapping> port_mappings;  // capability "portMappings"
  std::optional<Bandwidth> bandwidth;      // "bandwidth"
  std::optional<DnsSettings> dns;          // "dns"
  std::vector<std::string> ips;            // "ips" (CIDRs)
};

// Checks ports (1..65535, container port required), protocols and host IPs
// (an address literal). The CRI leaves host_port 0 for "no host port": such
// entries are dropped, as the kubelet's runtimes drop them.
absl::Status ValidateRuntimeConfig(RuntimeConfig& config);

// The "runtimeConfig" object for a plugin declaring `capabilities`; an empty
// object when none apply.
nlohmann::json RuntimeConfigFor(const RuntimeConfig& config,
                                const std::set<std::string>& capabilities);

// All capability arguments (for the cache), and back.
nlohmann::json RuntimeConfigToJson(const RuntimeConfig& config);
RuntimeConfig RuntimeConfigFromJson(const nlohmann::json& j);

}  // namespace cricket::network
