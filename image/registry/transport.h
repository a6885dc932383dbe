// Requests to one registry endpoint: authorization (answering 401
// challenges), Docker's https → http fallback for insecure endpoints, retries
// with backoff, and resumption of streamed bodies with Range. Safe to use
// from several threads: each request takes an idle HttpSession from a pool.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "image/registry/auth.h"
#include "image/registry/endpoints.h"
#include "image/registry/http.h"
#include "image/registry/retry.h"

namespace cricket::image::registry {

struct TransportOptions {
  int connect_timeout_seconds = 30;
  int request_timeout_seconds = 60;  // buffered requests (manifests, tokens)
  int stall_seconds = 60;            // streamed bodies: no data this long fails the attempt
  RetryPolicy retry;
};

// One API call: GET <endpoint>/v2/<path>.
struct Call {
  std::string path;   // "library/busybox/manifests/latest"
  std::string scope;  // "repository:library/busybox:pull"
  std::vector<std::string> headers;
  std::string what;          // "manifest library/busybox:latest", for messages
  int64_t max_body = 1 << 20;  // buffered calls
  // Checked during every exchange and before each retry (cancellation, the
  // blob's deadline); its error ends the call without further retries.
  std::function<absl::Status()> keep_going;
};

class EndpointTransport {
 public:
  EndpointTransport(Endpoint ep, std::string domain, Credentials creds, TlsOptions tls,
                    TransportOptions opts, HostTlsFn realm_tls = {});

  // A buffered GET (2xx only; other answers become statuses).
  absl::StatusOr<HttpResponse> Get(const Call& call);

  // A streamed GET of bytes [*offset, end) into sink, resuming with Range
  // after transient failures; *offset advances with every byte delivered.
  // end < 0: unknown, the body's end is the end.
  absl::Status Stream(const Call& call, int64_t* offset, int64_t end, const BodySink& sink);

  // "registry 127.0.0.1:5000" or "mirror 127.0.0.1:6000 (of docker.io)".
  std::string Name() const;
  bool is_mirror() const { return ep_.mirror; }

 private:
  absl::StatusOr<HttpResponse> Run(const Call& call, int64_t* offset, int64_t end,
                                   const BodySink* sink);
  absl::StatusOr<HttpResponse> Exchange(const Call& call, int64_t range_from,
                                        const BodySink* sink);
  absl::Status Classify(const Call& call, const HttpRequest& req, const HttpResponse& resp,
                        bool* retryable) const;
  HttpRequest BaseRequest(const Call& call, bool streamed) const;
  // OK when this endpoint's credentials may go to it as it is now (the
  // scheme may have fallen back to http); called with mu_ held.
  absl::Status CredentialsAllowedLocked() const;
  absl::StatusOr<HttpSession> Acquire();
  void Release(HttpSession s);

  mutable std::mutex mu_;  // ep_.scheme, auth_, idle_
  Endpoint ep_;
  std::string domain_;
  Authenticator auth_;
  TlsOptions tls_;
  TransportOptions opts_;
  std::vector<HttpSession> idle_;
};

}  // namespace cricket::image::registry
