// Endpoint choice for a registry host: mirrors first, then the origin.
#include "image/registry/endpoints.h"

#include <arpa/inet.h>

#include <cctype>

#include "absl/strings/str_cat.h"

namespace cricket::image::registry {

std::string OriginHost(const std::string& domain) {
  // docker.io is the name in references; its API lives on another host.
  if (domain == "docker.io" || domain == "index.docker.io") return "registry-1.docker.io";
  return domain;
}

std::string HostName(const std::string& host_port) {
  if (!host_port.empty() && host_port[0] == '[') {
    size_t close = host_port.find(']');
    return close == std::string::npos ? host_port.substr(1) : host_port.substr(1, close - 1);
  }
  size_t colon = host_port.find(':');
  // More than one colon and no brackets: a bare IPv6 address.
  if (colon != std::string::npos && host_port.find(':', colon + 1) != std::string::npos) {
    return host_port;
  }
  return host_port.substr(0, colon);
}

bool IsLoopbackHost(const std::string& host_port) {
  std::string name = HostName(host_port);
  if (name == "localhost") return true;
  in_addr v4{};
  if (inet_pton(AF_INET, name.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, name.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

bool IsInsecure(const conf::Config::Registries& config, const std::string& domain) {
  auto it = config.hosts.find(domain);
  if (it != config.hosts.end()) {
    if (it->second.insecure) return true;
    // An operator who gave a CA for a loopback registry wants it verified.
    if (!it->second.ca_file.empty()) return false;
  }
  return IsLoopbackHost(domain);
}

absl::StatusOr<Destination> ParseUrlDestination(const std::string& url) {
  size_t sep = url.find("://");
  Destination d;
  if (sep != std::string::npos) {
    d.scheme = url.substr(0, sep);
    for (char& c : d.scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (d.scheme != "http" && d.scheme != "https") {
    return absl::InvalidArgumentError(absl::StrCat("\"", url, "\" is not an http(s) URL"));
  }
  std::string authority = url.substr(sep + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  size_t at = authority.rfind('@');  // userinfo is not part of the host
  d.host = at == std::string::npos ? authority : authority.substr(at + 1);
  for (char& c : d.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (d.host.empty()) return absl::InvalidArgumentError(absl::StrCat("\"", url, "\" has no host"));
  return d;
}

absl::Status CredentialsMayGo(const Destination& to) {
  if (IsLoopbackHost(to.host)) return absl::OkStatus();
  if (to.scheme != "https") {
    return absl::FailedPreconditionError(absl::StrCat(
        "credentials are not sent over plain http to ", to.host, ", which is not a loopback host"));
  }
  if (!to.verify_tls && !to.configured_insecure) {
    return absl::FailedPreconditionError(absl::StrCat(
        "credentials are not sent to ", to.host,
        " without TLS certificate verification unless that host is configured insecure"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Endpoint> ParseMirror(const std::string& entry, bool insecure) {
  Endpoint ep;
  ep.mirror = true;
  std::string rest = entry;
  size_t sep = rest.find("://");
  if (sep != std::string::npos) {
    ep.scheme = rest.substr(0, sep);
    if (ep.scheme != "http" && ep.scheme != "https") {
      return absl::InvalidArgumentError(
          absl::StrCat("mirror \"", entry, "\": scheme must be http or https"));
    }
    ep.explicit_scheme = true;
    rest = rest.substr(sep + 3);
  } else {
    ep.scheme = "https";
  }
  size_t slash = rest.find('/');
  ep.host = rest.substr(0, slash);
  if (slash != std::string::npos) {
    ep.path_prefix = rest.substr(slash);
    while (!ep.path_prefix.empty() && ep.path_prefix.back() == '/') ep.path_prefix.pop_back();
    // "https://mirror/v2" means the API root itself; we add "/v2/" ourselves.
    if (ep.path_prefix.size() >= 3 &&
        ep.path_prefix.compare(ep.path_prefix.size() - 3, 3, "/v2") == 0) {
      ep.path_prefix.resize(ep.path_prefix.size() - 3);
    }
  }
  if (ep.host.empty()) {
    return absl::InvalidArgumentError(absl::StrCat("mirror \"", entry, "\": no host"));
  }
  ep.insecure = insecure || IsLoopbackHost(ep.host);
  return ep;
}

absl::StatusOr<std::vector<Endpoint>> Endpoints(const conf::Config::Registries& config,
                                                const std::string& domain) {
  std::vector<Endpoint> out;
  auto it = config.hosts.find(domain);
  if (it != config.hosts.end()) {
    for (const std::string& m : it->second.mirrors) {
      // A mirror is insecure when its own entry says so, or by the loopback rule.
      auto ep = ParseMirror(m, false);
      if (!ep.ok()) return ep.status();
      ep->insecure = IsInsecure(config, ep->host);
      out.push_back(*std::move(ep));
    }
  }
  Endpoint origin;
  origin.host = OriginHost(domain);
  origin.insecure = IsInsecure(config, domain);
  origin.scheme = "https";
  out.push_back(origin);
  return out;
}

}  // namespace cricket::image::registry
