// Which URLs a pull of one registry host talks to, in order: the configured
// mirrors, then the origin. Pure (no I/O), so the choice is unit-tested.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "conf/config.h"

namespace cricket::image::registry {

struct Endpoint {
  std::string scheme;       // "https" or "http"
  std::string host;         // host[:port] to connect to ("[::1]:5000" for IPv6)
  std::string path_prefix;  // "" or "/prefix" put before "/v2/" (mirrors only)
  bool mirror = false;
  // Insecure: TLS certificates are not verified, and an https handshake that
  // fails because the server speaks plain HTTP falls back to http (Docker's rule).
  bool insecure = false;
  bool explicit_scheme = false;  // the mirror entry named its scheme: no fallback

  // "https://host[:port][/prefix]"
  std::string BaseUrl() const { return scheme + "://" + host + path_prefix; }
  bool operator==(const Endpoint&) const = default;
};

// The host to connect to for a reference domain: docker.io → registry-1.docker.io.
std::string OriginHost(const std::string& domain);

// The host name without port or IPv6 brackets: "[::1]:5000" → "::1".
std::string HostName(const std::string& host_port);

// 127.0.0.0/8, ::1 and localhost (with or without a port). Docker treats
// these as insecure registries without being told.
bool IsLoopbackHost(const std::string& host_port);

// Whether `domain` is insecure: its entry says so, or it is a loopback host
// (as Docker treats them) whose entry names no CA file to verify against.
bool IsInsecure(const conf::Config::Registries& config, const std::string& domain);

// Where a request would carry credentials to.
struct Destination {
  std::string scheme;  // "https" or "http"
  std::string host;    // host[:port]
  bool verify_tls = true;
  bool configured_insecure = false;  // the host's own entry (or the loopback rule) says insecure
};

// "https://host:5000/token?x" → scheme "https", host "host:5000" (TLS fields
// left at their defaults). InvalidArgument for anything but an http(s) URL.
absl::StatusOr<Destination> ParseUrlDestination(const std::string& url);

// OK when credentials may go to `to`: a loopback host, or https with verified
// certificates, or unverified https to a host configured insecure. Otherwise
// FailedPrecondition saying why: plain http to a host that is not loopback
// (even an insecure one), or TLS without verification to a host that is not
// configured insecure.
absl::Status CredentialsMayGo(const Destination& to);

// Parses one mirror entry: "host[:port]", "https://host/prefix", "http://host".
// InvalidArgument for an empty host or an unknown scheme.
absl::StatusOr<Endpoint> ParseMirror(const std::string& entry, bool insecure);

// Mirrors (in config order) then the origin, for the registry of `domain`.
absl::StatusOr<std::vector<Endpoint>> Endpoints(const conf::Config::Registries& config,
                                                const std::string& domain);

}  // namespace cricket::image::registry
