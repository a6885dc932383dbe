// runtimeConfig building: the JSON shapes come from the CNI conventions doc
// (portMappings, bandwidth, dns, ips).
#include "network/runtime_config.h"

#include <arpa/inet.h>

#include <algorithm>

#include "oci/sys/status.h"
#include "network/json_fields.h"

namespace cricket::network {
namespace {

using nlohmann::json;

bool IsIpLiteral(const std::string& s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

json PortsJson(const std::vector<PortMapping>& ports) {
  json arr = json::array();
  for (const auto& p : ports) {
    json e = {{"hostPort", p.host_port}, {"containerPort", p.container_port},
              {"protocol", p.protocol}};
    if (!p.host_ip.empty()) e["hostIP"] = p.host_ip;
    arr.push_back(std::move(e));
  }
  return arr;
}

json BandwidthJson(const Bandwidth& b) {
  return {{"ingressRate", b.ingress_rate}, {"ingressBurst", b.ingress_burst},
          {"egressRate", b.egress_rate},   {"egressBurst", b.egress_burst}};
}

json DnsJson(const DnsSettings& d) {
  return {{"servers", d.servers}, {"searches", d.searches}, {"options", d.options}};
}

}  // namespace

absl::Status ValidateRuntimeConfig(RuntimeConfig& config) {
  auto& ports = config.port_mappings;
  ports.erase(std::remove_if(ports.begin(), ports.end(),
                             [](const PortMapping& p) { return p.host_port == 0; }),
              ports.end());
  for (auto& p : ports) {
    std::transform(p.protocol.begin(), p.protocol.end(), p.protocol.begin(), ::tolower);
    if (p.protocol.empty()) p.protocol = "tcp";
    std::string what = absl::StrFormat("port mapping %d->%d/%s", p.host_port, p.container_port,
                                       p.protocol);
    if (p.host_port < 0 || p.host_port > 65535 || p.container_port <= 0 ||
        p.container_port > 65535) {
      return absl::InvalidArgumentError(what + ": port out of range");
    }
    if (p.protocol != "tcp" && p.protocol != "udp" && p.protocol != "sctp") {
      return absl::InvalidArgumentError(what + ": protocol must be tcp, udp or sctp");
    }
    if (!p.host_ip.empty() && !IsIpLiteral(p.host_ip)) {
      return absl::InvalidArgumentError(what + ": host IP \"" + p.host_ip + "\" is not an address");
    }
  }
  return absl::OkStatus();
}

json RuntimeConfigFor(const RuntimeConfig& config, const std::set<std::string>& capabilities) {
  json rc = json::object();
  auto has = [&](const char* c) { return capabilities.count(c) > 0; };
  if (has("portMappings") && !config.port_mappings.empty()) {
    rc["portMappings"] = PortsJson(config.port_mappings);
  }
  if (has("bandwidth") && config.bandwidth) rc["bandwidth"] = BandwidthJson(*config.bandwidth);
  if (has("dns") && config.dns) rc["dns"] = DnsJson(*config.dns);
  if (has("ips") && !config.ips.empty()) rc["ips"] = config.ips;
  return rc;
}

json RuntimeConfigToJson(const RuntimeConfig& config) {
  return RuntimeConfigFor(config, {"portMappings", "bandwidth", "dns", "ips"});
}

RuntimeConfig RuntimeConfigFromJson(const json& j) {
  RuntimeConfig c;
  if (!j.is_object()) return c;
  if (j.contains("portMappings") && j["portMappings"].is_array()) {
    for (const auto& p : j["portMappings"]) {
      c.port_mappings.push_back({static_cast<int>(JsonInt(p, "hostPort")),
                                 static_cast<int>(JsonInt(p, "containerPort")),
                                 JsonString(p, "protocol", "tcp"), JsonString(p, "hostIP")});
    }
  }
  if (j.contains("bandwidth") && j["bandwidth"].is_object()) {
    const json& b = j["bandwidth"];
    c.bandwidth = Bandwidth{JsonInt(b, "ingressRate"), JsonInt(b, "ingressBurst"), JsonInt(b, "egressRate"),
                            JsonInt(b, "egressBurst")};
  }
  if (j.contains("dns") && j["dns"].is_object()) {
    const json& d = j["dns"];
    c.dns = DnsSettings{JsonStrings(d, "servers"), JsonStrings(d, "searches"), JsonStrings(d, "options")};
  }
  c.ips = JsonStrings(j, "ips");
  return c;
}

}  // namespace cricket::network
