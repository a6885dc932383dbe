// CNI ADD results of every spec version (0.1/0.2 "ip4"/"ip6", 0.3.x, 0.4.0,
// 1.x) normalised into one struct, and the pod's IPs taken from it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "nlohmann/json.hpp"

namespace cricket::network {

struct CniInterface {
  std::string name;
  std::string mac;
  std::string sandbox;  // netns path; "" for host-side interfaces
};

struct CniIpConfig {
  std::string address;  // CIDR, "10.1.0.5/24"
  std::string gateway;  // "" when none
  int interface = -1;   // index into interfaces; -1 when not given
};

struct CniRoute {
  std::string dst;  // CIDR
  std::string gw;   // "" = the interface's gateway
};

struct CniDns {
  std::vector<std::string> nameservers;
  std::string domain;
  std::vector<std::string> search;
  std::vector<std::string> options;
};

struct CniResult {
  std::string cni_version;
  std::vector<CniInterface> interfaces;
  std::vector<CniIpConfig> ips;
  std::vector<CniRoute> routes;
  CniDns dns;
  nlohmann::json raw;  // as the plugin printed it (passed on as prevResult)
};

// Parses a plugin's ADD output. InvalidArgument when it is not a result.
absl::StatusOr<CniResult> ParseCniResult(const nlohmann::json& j);
absl::StatusOr<CniResult> ParseCniResultText(std::string_view text);

// The pod's addresses (no prefix length): those on `ifname` inside the
// sandbox (or every address when the result names no interfaces), IPv4 first
// as the kubelet expects the primary to be.
std::vector<std::string> PodIps(const CniResult& result, const std::string& ifname);

}  // namespace cricket::network
