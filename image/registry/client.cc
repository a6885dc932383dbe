// The registry client: endpoint order (mirrors, then origin), manifest
// checks (types, size cap, digest) and blob streaming with verification.
#include "image/registry/client.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "image/digest.h"
#include "image/manifest.h"
#include "image/registry/auth.h"
#include "image/registry/endpoints.h"
#include "image/registry/tls_files.h"
#include "image/registry/transport.h"
#include "nlohmann/json.hpp"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::image::registry {
namespace {

constexpr char kDockerSchema1[] = "application/vnd.docker.distribution.manifest.v1+json";
constexpr char kDockerSchema1Signed[] = "application/vnd.docker.distribution.manifest.v1+prettyjws";

std::string AcceptHeader() {
  // Schema1 is listed so a registry that only has it says so, and we can
  // reject it by name instead of getting a 404.
  return absl::StrCat("Accept: ", kMediaOciIndex, ", ", kMediaDockerList, ", ", kMediaOciManifest,
                      ", ", kMediaDockerManifest, ", ", kDockerSchema1Signed, ", ",
                      kDockerSchema1);
}

// The body as a JSON object; garbage is InvalidArgument.
absl::StatusOr<nlohmann::json> ParseBody(const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return absl::InvalidArgumentError("body is not a JSON object");
  }
  return j;
}

std::string MediaTypeOf(const HttpResponse& resp) {
  std::string ct = resp.Header("content-type");
  ct = ct.substr(0, ct.find(';'));
  while (!ct.empty() && ct.back() == ' ') ct.pop_back();
  return ct;
}

class RegistryClient : public Client {
 public:
  RegistryClient(std::string domain, std::vector<std::unique_ptr<EndpointTransport>> transports,
                 const conf::Config::Image& limits)
      : domain_(std::move(domain)), transports_(std::move(transports)), limits_(limits) {}

  absl::StatusOr<Manifest> GetManifest(const Reference& ref,
                                       const std::string& tag_or_digest) override;
  absl::Status FetchBlob(const Reference& ref, const std::string& digest, int64_t expected_size,
                         int64_t offset, const BlobSink& sink) override;

 private:
  absl::StatusOr<Manifest> CheckManifest(const EndpointTransport& t, const Reference& ref,
                                         const std::string& tag_or_digest,
                                         const HttpResponse& resp) const;
  // Call::keep_going: Cancelled once the pull's caller went away, and for a
  // blob of `size` bytes, DeadlineExceeded after its download deadline.
  std::function<absl::Status()> KeepGoing(const std::string& what, int64_t size) const;

  std::string domain_;
  std::vector<std::unique_ptr<EndpointTransport>> transports_;
  conf::Config::Image limits_;
};

std::function<absl::Status()> RegistryClient::KeepGoing(const std::string& what,
                                                        int64_t size) const {
  using Clock = std::chrono::steady_clock;
  std::string name = absl::StrCat("registry ", domain_, ": ", what);
  int64_t seconds = -1;
  if (size >= 0) {
    seconds = limits_.stall_timeout_seconds + size / limits_.min_download_bytes_per_second;
    seconds = std::min<int64_t>(seconds, int64_t{100} << 20);  // ~3 years: no clock overflow
  }
  auto deadline = Clock::now() + std::chrono::seconds(std::max<int64_t>(seconds, 0));
  return [cancelled = cancelled_, name, seconds, deadline, size,
          rate = limits_.min_download_bytes_per_second]() -> absl::Status {
    if (cancelled && cancelled()) {
      return absl::CancelledError(absl::StrCat(name, ": stopped: the pull's caller went away"));
    }
    if (seconds >= 0 && Clock::now() >= deadline) {
      return absl::DeadlineExceededError(absl::StrCat(
          name, ": not complete after ", seconds, "s, the limit for ", size,
          " bytes (the stall timeout plus the size at image.min_download_bytes_per_second = ",
          rate, ")"));
    }
    return absl::OkStatus();
  };
}

absl::StatusOr<Manifest> RegistryClient::CheckManifest(const EndpointTransport& t,
                                                       const Reference& ref,
                                                       const std::string& tag_or_digest,
                                                       const HttpResponse& resp) const {
  std::string what = absl::StrCat(t.Name(), ": manifest ", ref.path, ":", tag_or_digest);
  Manifest m;
  m.body = resp.body;
  m.media_type = MediaTypeOf(resp);
  m.digest = Sha256String(m.body);
  bool pinned = tag_or_digest.rfind("sha256:", 0) == 0;
  if (pinned && m.digest != tag_or_digest) {
    return absl::DataLossError(absl::StrCat(what, ": content has digest ", m.digest));
  }
  std::string header_digest = resp.Header("docker-content-digest");
  if (header_digest.rfind("sha256:", 0) == 0 && header_digest != m.digest) {
    return absl::DataLossError(absl::StrCat(what, ": content has digest ", m.digest,
                                            " but the registry announced ", header_digest));
  }
  if (m.media_type == kDockerSchema1 || m.media_type == kDockerSchema1Signed) {
    return absl::InvalidArgumentError(absl::StrCat(
        what, ": Docker schema1 manifests (", m.media_type,
        ") are not supported; push the image again with Docker schema2 or OCI"));
  }
  auto parsed = ParseBody(m.body);
  if (!parsed.ok()) return sys::Annotate(parsed.status(), what);
  const nlohmann::json& j = *parsed;
  auto kind = ClassifyManifest(m.media_type, m.body);
  if (!kind.ok()) return sys::Annotate(kind.status(), what);
  bool known = m.media_type == kMediaOciIndex || m.media_type == kMediaDockerList ||
               m.media_type == kMediaOciManifest || m.media_type == kMediaDockerManifest;
  if (!known) {
    // Some mirrors answer application/json or octet-stream: trust the body.
    m.media_type = *kind == ManifestKind::kIndex ? kMediaOciIndex : kMediaOciManifest;
    if (j.contains("mediaType") && j["mediaType"].is_string()) m.media_type = j["mediaType"];
  }
  return m;
}

absl::StatusOr<Manifest> RegistryClient::GetManifest(const Reference& ref,
                                                     const std::string& tag_or_digest) {
  Call call;
  call.path = absl::StrCat(ref.path, "/manifests/", tag_or_digest);
  call.scope = PullScope(ref.path);
  call.headers = {AcceptHeader()};
  call.what = absl::StrCat("manifest ", ref.path, ":", tag_or_digest);
  call.max_body = limits_.max_manifest_bytes;
  call.keep_going = KeepGoing(call.what, -1);
  absl::Status last;
  for (auto& t : transports_) {
    absl::StatusOr<HttpResponse> resp = t->Get(call);
    absl::StatusOr<Manifest> m = resp.ok() ? CheckManifest(*t, ref, tag_or_digest, *resp)
                                           : absl::StatusOr<Manifest>(resp.status());
    if (m.ok() || !t->is_mirror() || absl::IsCancelled(m.status())) return m;
    sys::LogWarn("mirror failed, trying the next endpoint",
                 {{"error", std::string(m.status().message())}});
    last = m.status();
  }
  return last;
}

absl::Status RegistryClient::FetchBlob(const Reference& ref, const std::string& digest,
                                       int64_t expected_size, int64_t offset,
                                       const BlobSink& sink) {
  Call call;
  call.path = absl::StrCat(ref.path, "/blobs/", digest);
  call.scope = PullScope(ref.path);
  call.what = absl::StrCat("blob ", ref.path, "@", digest);
  call.keep_going = KeepGoing(call.what, expected_size);  // one deadline for all endpoints
  // From offset 0 the whole stream passes here, so it is verified here too
  // (unless the caller said it verifies it); a caller resuming at an offset
  // verifies the bytes it kept itself.
  std::unique_ptr<DigestVerifier> verifier;
  if (offset == 0 && verify_blobs_) {
    verifier = std::make_unique<DigestVerifier>(digest, expected_size);
  }
  BodySink counted = [&](const char* data, size_t len) -> absl::Status {
    if (verifier) RETURN_IF_ERROR(verifier->Update(data, len));
    return sink(data, len);
  };
  absl::Status last;
  for (auto& t : transports_) {
    absl::Status st = t->Stream(call, &offset, expected_size, counted);
    if (st.ok() && verifier) st = sys::Annotate(verifier->Verify(), "%s: %s", t->Name(), call.what);
    if (st.ok() || !t->is_mirror()) return st;
    // A mirror that sent bad bytes cannot be resumed from elsewhere; a
    // cancel or the blob's deadline ends the download everywhere.
    if (absl::IsDataLoss(st) || absl::IsCancelled(st) || absl::IsDeadlineExceeded(st)) return st;
    sys::LogWarn("mirror failed, trying the next endpoint",
                 {{"error", std::string(st.message())}});
    last = st;
  }
  return last;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Client>> NewClient(const conf::Config& config, const Reference& ref,
                                                  const Credentials& creds) {
  const auto& reg = config.registries;
  ASSIGN_OR_RETURN(std::vector<Endpoint> endpoints, Endpoints(reg, ref.domain));
  TransportOptions opts;
  opts.connect_timeout_seconds = reg.connect_timeout_seconds;
  opts.request_timeout_seconds = reg.request_timeout_seconds;
  opts.stall_seconds = config.image.stall_timeout_seconds;
  opts.retry.retries = reg.retries;
  ASSIGN_OR_RETURN(Credentials given, NormalizeCredentials(creds));
  std::vector<std::unique_ptr<EndpointTransport>> transports;
  // A token realm on another host: verified unless that host's own entry
  // says insecure, with that host's CAs and client certificate.
  HostTlsFn realm_tls = [reg](const std::string& host) -> absl::StatusOr<HostTls> {
    Endpoint ep;
    ep.scheme = "https";
    ep.host = host;
    ep.insecure = IsInsecure(reg, host);
    ASSIGN_OR_RETURN(TlsOptions tls, TlsFor(reg, host, ep));
    return HostTls{std::move(tls), ep.insecure};
  };
  for (const Endpoint& ep : endpoints) {
    // The request's credentials are for the registry in the reference; a
    // mirror is another party and gets only what the auth file holds for it.
    Credentials c = ep.mirror ? Credentials{} : given;
    if (c.empty()) {
      ASSIGN_OR_RETURN(c, LookupAuthFile(reg.auth_file, ep.mirror ? ep.host : ref.domain));
    }
    ASSIGN_OR_RETURN(TlsOptions tls, TlsFor(reg, ref.domain, ep));
    transports.push_back(std::make_unique<EndpointTransport>(ep, ref.domain, std::move(c),
                                                             std::move(tls), opts, realm_tls));
  }
  return std::make_unique<RegistryClient>(ref.domain, std::move(transports), config.image);
}

}  // namespace cricket::image::registry
