// TLS material for a registry endpoint, found the way Docker and containerd
// find it: the system CAs plus <certs_dir>/<host>/*.crt and the entry's
// ca_file; a client certificate from the entry or <host>/client.{cert,key}.
#pragma once

#include <string>

#include "absl/status/statusor.h"
#include "conf/config.h"
#include "image/registry/endpoints.h"
#include "image/registry/http.h"

namespace cricket::image::registry {

inline constexpr char kSystemCaBundle[] = "/etc/ssl/certs/ca-certificates.crt";

// `domain` is the reference's registry (whose config entry applies); the
// endpoint's host names the certs dir subdirectory. Verification is off for
// insecure endpoints.
absl::StatusOr<TlsOptions> TlsFor(const conf::Config::Registries& config, const std::string& domain,
                                  const Endpoint& ep);

}  // namespace cricket::image::registry
