// Result parsing for every CNI spec version the Debian plugins speak.
#include "network/cni_result.h"

#include <algorithm>

#include "oci/sys/status.h"
#include "network/json_fields.h"

namespace cricket::network {
namespace {

using nlohmann::json;

void ParseRoutes(const json& j, std::vector<CniRoute>& out) {
  auto it = j.find("routes");
  if (it == j.end() || !it->is_array()) return;
  for (const auto& r : *it) {
    if (r.is_object()) out.push_back({JsonString(r, "dst"), JsonString(r, "gw")});
  }
}

CniDns ParseDns(const json& j) {
  CniDns dns;
  auto it = j.find("dns");
  if (it == j.end() || !it->is_object()) return dns;
  dns.nameservers = JsonStrings(*it, "nameservers");
  dns.domain = JsonString(*it, "domain");
  dns.search = JsonStrings(*it, "search");
  dns.options = JsonStrings(*it, "options");
  return dns;
}

// 0.1.0 / 0.2.0: {"ip4": {"ip", "gateway", "routes"}, "ip6": {...}, "dns"}.
void ParseLegacy(const json& j, CniResult& out) {
  for (const char* key : {"ip4", "ip6"}) {
    auto it = j.find(key);
    if (it == j.end() || !it->is_object()) continue;
    out.ips.push_back({JsonString(*it, "ip"), JsonString(*it, "gateway"), -1});
    ParseRoutes(*it, out.routes);
  }
}

absl::Status ParseCurrent(const json& j, CniResult& out) {
  if (auto it = j.find("interfaces"); it != j.end() && it->is_array()) {
    for (const auto& i : *it) {
      out.interfaces.push_back({JsonString(i, "name"), JsonString(i, "mac"), JsonString(i, "sandbox")});
    }
  }
  if (auto it = j.find("ips"); it != j.end() && it->is_array()) {
    for (const auto& ip : *it) {
      CniIpConfig c{JsonString(ip, "address"), JsonString(ip, "gateway"), -1};
      if (auto idx = ip.find("interface"); idx != ip.end() && idx->is_number_integer()) {
        c.interface = idx->get<int>();
        if (c.interface < 0 || c.interface >= static_cast<int>(out.interfaces.size())) {
          return absl::InvalidArgumentError(
              absl::StrCat("CNI result: ip ", c.address, " names interface ", c.interface,
                           " of ", out.interfaces.size()));
        }
      }
      out.ips.push_back(std::move(c));
    }
  }
  ParseRoutes(j, out.routes);
  return absl::OkStatus();
}

std::string StripPrefix(const std::string& cidr) { return cidr.substr(0, cidr.find('/')); }

}  // namespace

absl::StatusOr<CniResult> ParseCniResult(const json& j) {
  if (!j.is_object()) return absl::InvalidArgumentError("CNI result is not a JSON object");
  CniResult out;
  out.cni_version = JsonString(j, "cniVersion");
  out.raw = j;
  if (j.contains("ip4") || j.contains("ip6")) {
    ParseLegacy(j, out);
  } else {
    RETURN_IF_ERROR(ParseCurrent(j, out));
  }
  for (const auto& ip : out.ips) {
    if (ip.address.empty()) return absl::InvalidArgumentError("CNI result: ip without address");
  }
  out.dns = ParseDns(j);
  return out;
}

absl::StatusOr<CniResult> ParseCniResultText(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return absl::InvalidArgumentError(
        absl::StrCat("CNI result is not valid JSON: ", std::string(text.substr(0, 200))));
  }
  return ParseCniResult(j);
}

std::vector<std::string> PodIps(const CniResult& result, const std::string& ifname) {
  std::vector<std::string> v4, v6;
  for (const auto& ip : result.ips) {
    if (ip.interface >= 0) {
      const CniInterface& itf = result.interfaces[ip.interface];
      if (itf.sandbox.empty() || (!ifname.empty() && itf.name != ifname)) continue;
    }
    std::string addr = StripPrefix(ip.address);
    auto& bucket = addr.find(':') == std::string::npos ? v4 : v6;
    if (std::find(bucket.begin(), bucket.end(), addr) == bucket.end()) bucket.push_back(addr);
  }
  v4.insert(v4.end(), v6.begin(), v6.end());
  return v4;
}

}  // namespace cricket::network
