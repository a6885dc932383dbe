// Per-registry CA bundles and client certificates.
#include "image/registry/tls_files.h"

#include <algorithm>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"

namespace cricket::image::registry {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Appends a PEM file to the bundle; a missing file is not an error.
absl::Status AppendPem(const std::string& path, std::string* bundle) {
  auto data = sys::ReadFile(path);
  if (absl::IsNotFound(data.status())) return absl::OkStatus();
  if (!data.ok()) return sys::Annotate(data.status(), "read CA file %s", path);
  bundle->append(*data);
  bundle->push_back('\n');
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TlsOptions> TlsFor(const conf::Config::Registries& config, const std::string& domain,
                                  const Endpoint& ep) {
  TlsOptions tls;
  tls.verify = !ep.insecure;
  std::string extra;
  std::string dir = config.certs_dir + "/" + ep.host;
  if (!config.certs_dir.empty() && sys::PathExists(dir)) {
    ASSIGN_OR_RETURN(std::vector<std::string> names, sys::ListDir(dir));
    std::sort(names.begin(), names.end());
    for (const std::string& n : names) {
      if (EndsWith(n, ".crt")) RETURN_IF_ERROR(AppendPem(dir + "/" + n, &extra));
    }
    if (sys::PathExists(dir + "/client.cert") && sys::PathExists(dir + "/client.key")) {
      tls.client_cert = dir + "/client.cert";
      tls.client_key = dir + "/client.key";
    }
  }
  auto it = config.hosts.find(ep.mirror ? ep.host : domain);
  if (it != config.hosts.end()) {
    if (!it->second.ca_file.empty()) {
      auto data = sys::ReadFile(it->second.ca_file);
      if (!data.ok()) return sys::Annotate(data.status(), "registry %s: ca_file", ep.host);
      extra += *data + "\n";
    }
    if (!it->second.client_cert.empty()) {
      tls.client_cert = it->second.client_cert;
      tls.client_key = it->second.client_key;
    }
  }
  if (!extra.empty()) {
    // A CA blob replaces libcurl's default bundle, so the system CAs go first.
    RETURN_IF_ERROR(AppendPem(kSystemCaBundle, &tls.ca_pem));
    tls.ca_pem += extra;
  }
  return tls;
}

}  // namespace cricket::image::registry
