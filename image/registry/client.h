// Distribution API v2 client: manifests and blobs from one registry (with its
// mirrors), auth, TLS and retries. It knows nothing of the content store:
// blobs are streamed to a sink the caller provides.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "conf/config.h"
#include "image/reference.h"

namespace cricket::image::registry {

// Credentials as the CRI AuthConfig carries them (all optional).
struct Credentials {
  std::string username, password;
  std::string auth;            // base64 "user:pass"
  std::string identity_token;  // OAuth2 refresh token
  std::string registry_token;  // bearer token to use as is
  bool empty() const {
    return username.empty() && password.empty() && auth.empty() && identity_token.empty() &&
           registry_token.empty();
  }
};

struct Manifest {
  std::string media_type;  // from Content-Type (or the body's mediaType)
  std::string digest;      // sha256:<hex> of the bytes, verified against the reference digest if any
  std::string body;
};

// Receives blob bytes in order. Returning an error aborts the download.
using BlobSink = std::function<absl::Status(const char* data, size_t len)>;

class Client {
 public:
  virtual ~Client() = default;
  // GET /v2/<repo>/manifests/<tag|digest> with Accept for Docker schema2,
  // OCI manifest, Docker list, OCI index. Size capped; digest verified when
  // the reference pins one.
  virtual absl::StatusOr<Manifest> GetManifest(const Reference& ref, const std::string& tag_or_digest) = 0;
  // GET /v2/<repo>/blobs/<digest>, streaming to sink starting at `offset`
  // (Range resume after an interrupted transfer; the sink only ever sees each
  // byte once). The caller verifies digest and size of a resumed blob.
  virtual absl::Status FetchBlob(const Reference& ref, const std::string& digest,
                                 int64_t expected_size, int64_t offset, const BlobSink& sink) = 0;
  // A whole blob (offset 0) is checked against its digest and size here too,
  // unless turned off: the content store hashes every blob it keeps, and a
  // second sha256 of the same bytes costs about a third of a pull's hashing.
  void set_verify_blobs(bool on) { verify_blobs_ = on; }
  // Polled (about once a second) during every request: true ends the request
  // with Cancelled, without retries. For a pull whose caller went away.
  void set_cancelled(std::function<bool()> cancelled) { cancelled_ = std::move(cancelled); }

 protected:
  bool verify_blobs_ = true;
  std::function<bool()> cancelled_;
};

// A client for ref's registry, configured from conf (mirrors, insecure,
// certs dir, auth file, timeouts) and the request's credentials. Those go to
// the origin and the token realm it names only; a mirror gets the auth
// file's entry for its own host, or nothing. A blob download fails after
// image.stall_timeout_seconds plus its size at image.min_download_bytes_per_second.
absl::StatusOr<std::unique_ptr<Client>> NewClient(const conf::Config& config, const Reference& ref,
                                                  const Credentials& creds);

}  // namespace cricket::image::registry
