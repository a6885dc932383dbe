// One HTTP session (a libcurl easy handle, kept alive across requests so
// HTTP/1.1 connections are reused) and the one place where libcurl options are
// set: timeouts, stall detection, TLS, redirects, Range.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::image::registry {

struct TlsOptions {
  bool verify = true;
  std::string ca_pem;  // PEM bundle to trust; "" = the system's CAs
  std::string client_cert, client_key;  // PEM file paths for mutual TLS; "" = none
};

struct HttpRequest {
  std::string method = "GET";  // GET, HEAD, POST
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;                  // POST body
  TlsOptions tls;
  int connect_timeout_seconds = 30;
  int timeout_seconds = 0;  // the whole request; 0 = no limit (blobs rely on stall_seconds)
  int stall_seconds = 0;    // fail when less than 1 byte/s arrives for this long; 0 = off
  int64_t max_body = 1 << 20;  // cap on a buffered (sink-less) body
  int64_t range_from = 0;      // > 0: ask for bytes from this offset on
  // Asked about once a second and whenever data arrives; an error aborts the
  // transfer and Perform returns it (a caller that went away, a deadline).
  std::function<absl::Status()> keep_going;
};

struct HttpResponse {
  long status = 0;  // 0 when no response arrived
  std::map<std::string, std::string> headers;  // final response; lower-case names
  std::string body;  // buffered: error bodies (capped), and 2xx bodies without a sink
  std::string effective_url;
  int64_t delivered = 0;  // bytes given to the sink (after skipping to range_from)
  // Transport outcome: 0 = the exchange completed (whatever the status).
  int curl_code = 0;
  std::string error;     // libcurl's text for curl_code
  bool stalled = false;  // curl_code is a stall (stall_seconds without data)
  bool too_large = false;  // a buffered body went past max_body
  // An https request was redirected to this non-https URL, and the redirect
  // was not followed (curl_code is set too).
  std::string refused_redirect;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
};

// Receives the 2xx body in order; an error aborts the transfer and is returned.
using BodySink = std::function<absl::Status(const char* data, size_t len)>;

class HttpSession {
 public:
  static absl::StatusOr<HttpSession> Make();
  HttpSession(HttpSession&&) noexcept;
  HttpSession& operator=(HttpSession&&) noexcept;
  ~HttpSession();

  // Performs one request. Transport failures are reported in the response
  // (curl_code, error); the returned status is an error only when the request
  // could not be set up or the sink failed (then it is the sink's status).
  // Redirects are followed, from https only to https; Authorization is never
  // sent to another host.
  absl::StatusOr<HttpResponse> Perform(const HttpRequest& req, const BodySink* sink = nullptr);

 private:
  struct Handle;
  explicit HttpSession(std::unique_ptr<Handle> h);
  std::unique_ptr<Handle> h_;
};

// "GET <url>: <what went wrong>" for a failed transport exchange.
std::string DescribeTransportError(const HttpRequest& req, const HttpResponse& resp);

}  // namespace cricket::image::registry
