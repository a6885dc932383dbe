// Authorization, fallback, retries and resume for one registry endpoint.
#include "image/registry/transport.h"

#include <curl/curl.h>

#include <thread>

#include "absl/strings/str_cat.h"
#include "image/registry/errors.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::image::registry {

EndpointTransport::EndpointTransport(Endpoint ep, std::string domain, Credentials creds,
                                     TlsOptions tls, TransportOptions opts,
                                     HostTlsFn realm_tls)
    : ep_(std::move(ep)),
      domain_(std::move(domain)),
      auth_(std::move(creds), ep_.host, std::move(realm_tls)),
      tls_(std::move(tls)),
      opts_(opts) {}

std::string EndpointTransport::Name() const {
  if (ep_.mirror) return absl::StrCat("mirror ", ep_.host, " (of ", domain_, ")");
  return absl::StrCat("registry ", ep_.host);
}

absl::StatusOr<HttpSession> EndpointTransport::Acquire() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      HttpSession s = std::move(idle_.back());
      idle_.pop_back();
      return s;
    }
  }
  return HttpSession::Make();
}

void EndpointTransport::Release(HttpSession s) {
  std::lock_guard<std::mutex> lock(mu_);
  idle_.push_back(std::move(s));
}

HttpRequest EndpointTransport::BaseRequest(const Call& call, bool streamed) const {
  HttpRequest req;
  {
    std::lock_guard<std::mutex> lock(mu_);
    req.url = absl::StrCat(ep_.BaseUrl(), "/v2/", call.path);
  }
  req.tls = tls_;
  req.connect_timeout_seconds = opts_.connect_timeout_seconds;
  req.stall_seconds = opts_.stall_seconds;
  // Blobs can take long; they are bounded by the stall detector instead.
  req.timeout_seconds = streamed ? 0 : opts_.request_timeout_seconds;
  req.max_body = call.max_body;
  req.keep_going = call.keep_going;
  return req;
}

absl::Status EndpointTransport::CredentialsAllowedLocked() const {
  if (!auth_.has_credentials()) return absl::OkStatus();
  return CredentialsMayGo(Destination{ep_.scheme, ep_.host, tls_.verify, ep_.insecure});
}

absl::StatusOr<HttpResponse> EndpointTransport::Exchange(const Call& call, int64_t range_from,
                                                         const BodySink* sink) {
  ASSIGN_OR_RETURN(HttpSession session, Acquire());
  bool auth_tried = false;
  bool fell_back = false;
  absl::StatusOr<HttpResponse> resp;
  for (;;) {
    HttpRequest req = BaseRequest(call, sink != nullptr);
    req.range_from = range_from;
    req.headers = call.headers;
    std::string authz;
    absl::Status may_send;
    {
      std::lock_guard<std::mutex> lock(mu_);
      may_send = CredentialsAllowedLocked();
      if (may_send.ok()) authz = auth_.HeaderFor(call.scope);
    }
    if (!authz.empty()) req.headers.push_back("Authorization: " + authz);
    resp = session.Perform(req, sink);
    if (!resp.ok()) break;
    HttpRequest token_base = BaseRequest(call, false);  // takes mu_ itself
    std::lock_guard<std::mutex> lock(mu_);
    // Docker's rule for insecure registries: https first, plain http when
    // the server does not speak TLS.
    bool tls_failed = resp->curl_code == CURLE_SSL_CONNECT_ERROR ||
                      (resp->curl_code == CURLE_OPERATION_TIMEDOUT &&
                       resp->error.find("SSL") != std::string::npos);
    if (tls_failed && ep_.insecure && !ep_.explicit_scheme &&
        ep_.scheme == "https" && !fell_back) {
      sys::LogDebug("registry speaks plain http", {{"host", ep_.host}});
      ep_.scheme = "http";
      fell_back = true;
      continue;
    }
    if (resp->status == 401 && !may_send.ok()) {
      resp = absl::Status(may_send.code(),
                          absl::StrCat(Name(), ": ", call.what, ": asks for credentials, but ",
                                       may_send.message()));
      break;
    }
    if (resp->status == 401 && !auth_tried) {
      auth_tried = true;
      absl::Status st = auth_.OnUnauthorized(resp->Header("www-authenticate"), call.scope,
                                             session, token_base);
      if (!st.ok()) {
        resp = sys::Annotate(st, "%s: %s", Name(), call.what);
        break;
      }
      continue;
    }
    if (resp->status == 401) {
      // The retry carried what the challenge asked for and was refused too.
      resp = sys::Annotate(auth_.Refused(call.scope), "%s: %s", Name(), call.what);
    }
    break;
  }
  Release(std::move(session));
  return resp;
}

absl::Status EndpointTransport::Classify(const Call& call, const HttpRequest& req,
                                         const HttpResponse& resp, bool* retryable) const {
  *retryable = false;
  std::string what = absl::StrCat(Name(), ": ", call.what);
  if (!resp.refused_redirect.empty()) {
    return absl::PermissionDeniedError(absl::StrCat(
        what, ": refused a redirect from https to ", resp.refused_redirect,
        " (what was asked over TLS is not fetched in the clear)"));
  }
  if (resp.too_large) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": response larger than the limit of ", call.max_body, " bytes"));
  }
  if (resp.curl_code != 0) {
    *retryable = IsRetryableCurlCode(resp.curl_code);
    auto code = *retryable ? absl::StatusCode::kUnavailable : absl::StatusCode::kFailedPrecondition;
    return absl::Status(code, absl::StrCat(what, ": ", DescribeTransportError(req, resp)));
  }
  if (resp.status >= 200 && resp.status < 300) return absl::OkStatus();
  *retryable = IsRetryableHttpStatus(resp.status);
  return HttpStatusError(what, resp.status, resp.body);
}

// Waits out a retry's backoff in short slices, so that a caller who went
// away (or a blob past its deadline) stops now rather than after the wait.
static absl::Status WaitBeforeRetry(const Call& call,
                                    std::chrono::milliseconds delay) {
  using Clock = std::chrono::steady_clock;
  const auto until = Clock::now() + delay;
  for (;;) {
    if (call.keep_going) RETURN_IF_ERROR(call.keep_going());
    auto left = until - Clock::now();
    if (left <= Clock::duration::zero()) return absl::OkStatus();
    std::this_thread::sleep_for(std::min<Clock::duration>(left, std::chrono::milliseconds(100)));
  }
}

absl::StatusOr<HttpResponse> EndpointTransport::Run(const Call& call, int64_t* offset,
                                                    int64_t end, const BodySink* sink) {
  int failures = 0;
  int attempts = 0;
  const int max_attempts = 4 * (opts_.retry.retries + 1);  // bounds progress-making retries
  for (;;) {
    int64_t before = offset ? *offset : 0;
    ASSIGN_OR_RETURN(HttpResponse resp, Exchange(call, before, sink));
    if (offset) *offset = before + resp.delivered;
    bool retryable = false;
    HttpRequest req = BaseRequest(call, sink != nullptr);
    absl::Status st = Classify(call, req, resp, &retryable);
    if (st.ok() && offset && end >= 0 && *offset < end) {
      // A 2xx that ended early without libcurl noticing (no Content-Length).
      st = absl::UnavailableError(absl::StrCat(Name(), ": ", call.what, ": body ended after ",
                                               *offset, " of ", end, " bytes"));
      retryable = true;
    }
    if (st.ok()) return resp;
    if (!retryable) return st;
    ++attempts;
    if (!(offset && *offset > before)) ++failures;  // progress earns another try
    if (failures > opts_.retry.retries || attempts >= max_attempts) {
      return sys::Annotate(st, "gave up after %d attempts", attempts);
    }
    if (call.keep_going) RETURN_IF_ERROR(call.keep_going());
    auto delay = Backoff(opts_.retry, std::max(failures, 1),
                         ParseRetryAfter(resp.Header("retry-after")));
    sys::LogInfo("registry request failed, retrying",
                 {{"what", call.what}, {"error", std::string(st.message())},
                  {"delay_ms", std::to_string(delay.count())}});
    RETURN_IF_ERROR(WaitBeforeRetry(call, delay));
  }
}

absl::StatusOr<HttpResponse> EndpointTransport::Get(const Call& call) {
  return Run(call, nullptr, -1, nullptr);
}

absl::Status EndpointTransport::Stream(const Call& call, int64_t* offset, int64_t end,
                                       const BodySink& sink) {
  return Run(call, offset, end, &sink).status();
}

}  // namespace cricket::image::registry
