// libcurl behind HttpSession: options, header and body callbacks.
#include "image/registry/http.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "absl/strings/str_cat.h"

namespace cricket::image::registry {
namespace {

struct CurlDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
using CurlPtr = std::unique_ptr<CURL, CurlDeleter>;
using SlistPtr = std::unique_ptr<curl_slist, SlistDeleter>;

constexpr int64_t kMaxErrorBody = 64 << 10;

// Per-transfer state shared by the callbacks.
struct Transfer {
  CURL* curl = nullptr;
  const HttpRequest* req = nullptr;
  const BodySink* sink = nullptr;
  HttpResponse* resp = nullptr;
  absl::Status sink_status;
  absl::Status abort_status;  // from req->keep_going
  int mode = -1;          // -1 undecided, 0 buffer, 1 sink (for the current response)
  int64_t to_skip = 0;    // bytes before range_from when the server ignored Range
};

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string line(data, size * n);
  if (line.rfind("HTTP/", 0) == 0) {
    // A new response (after a redirect or 100-continue): start over.
    t->resp->headers.clear();
    t->resp->body.clear();
    t->mode = -1;
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string::npos) return size * n;
  std::string name = line.substr(0, colon);
  std::transform(name.begin(), name.end(), name.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  size_t b = line.find_first_not_of(" \t", colon + 1);
  size_t e = line.find_last_not_of(" \t\r\n");
  t->resp->headers[name] = (b == std::string::npos || e < b) ? "" : line.substr(b, e - b + 1);
  return size * n;
}

void DecideMode(Transfer* t) {
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  bool ok = status >= 200 && status < 300;
  t->mode = (ok && t->sink != nullptr) ? 1 : 0;
  t->to_skip = 0;
  // A server that ignores Range sends the whole body: skip what we already have.
  if (ok && t->req->range_from > 0 && status != 206) t->to_skip = t->req->range_from;
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (t->mode < 0) DecideMode(t);
  const char* p = data;
  size_t left = len;
  if (t->to_skip > 0) {
    size_t skip = static_cast<size_t>(std::min<int64_t>(t->to_skip, left));
    t->to_skip -= skip;
    p += skip;
    left -= skip;
  }
  if (left == 0) return len;
  if (t->mode == 1) {
    absl::Status st = (*t->sink)(p, left);
    if (!st.ok()) {
      t->sink_status = st;
      return 0;  // aborts with CURLE_WRITE_ERROR
    }
    t->resp->delivered += left;
    return len;
  }
  long status = 0;
  curl_easy_getinfo(t->curl, CURLINFO_RESPONSE_CODE, &status);
  int64_t cap = (status >= 200 && status < 300) ? t->req->max_body : kMaxErrorBody;
  if (static_cast<int64_t>(t->resp->body.size() + left) > cap) {
    t->resp->too_large = true;
    return 0;
  }
  t->resp->body.append(p, left);
  return len;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  t->abort_status = t->req->keep_going();
  return t->abort_status.ok() ? 0 : 1;  // non-zero aborts with CURLE_ABORTED_BY_CALLBACK
}

void SetTlsOptions(CURL* c, const TlsOptions& tls, curl_blob* blob) {
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, tls.verify ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, tls.verify ? 2L : 0L);
  if (!tls.ca_pem.empty()) {
    blob->data = const_cast<char*>(tls.ca_pem.data());
    blob->len = tls.ca_pem.size();
    blob->flags = CURL_BLOB_COPY;
    curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, blob);
  }
  if (!tls.client_cert.empty()) curl_easy_setopt(c, CURLOPT_SSLCERT, tls.client_cert.c_str());
  if (!tls.client_key.empty()) curl_easy_setopt(c, CURLOPT_SSLKEY, tls.client_key.c_str());
}

void SetOptions(CURL* c, const HttpRequest& req, curl_slist* headers, curl_blob* blob,
                Transfer* t, char* errbuf) {
  curl_easy_setopt(c, CURLOPT_URL, req.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // we run in threads
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  // What came over verified TLS never continues in the clear: an https
  // request may be redirected only to https.
  bool https = req.url.rfind("https://", 0) == 0;
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https");
  // Blobs are often redirected to object storage. libcurl (>= 7.83) sends a
  // custom Authorization header only to the original scheme, host and port,
  // and UNRESTRICTED_AUTH stays off so credentials never follow elsewhere.
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(c, CURLOPT_UNRESTRICTED_AUTH, 0L);
  curl_easy_setopt(c, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(req.connect_timeout_seconds));
  if (req.timeout_seconds > 0) {
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(req.timeout_seconds));
  }
  if (req.stall_seconds > 0) {
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(req.stall_seconds));
  }
  if (req.method == "HEAD") {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  } else if (req.method == "POST") {
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, req.body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(req.body.size()));
  }
  std::string range;
  if (req.range_from > 0) {
    range = absl::StrCat(req.range_from, "-");
    curl_easy_setopt(c, CURLOPT_RANGE, range.c_str());  // copied by libcurl
  }
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, t);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, t);
  if (req.keep_going) {
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, OnProgress);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, t);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  }
  SetTlsOptions(c, req.tls, blob);
}

}  // namespace

struct HttpSession::Handle {
  CurlPtr curl;
};

HttpSession::HttpSession(std::unique_ptr<Handle> h) : h_(std::move(h)) {}
HttpSession::HttpSession(HttpSession&&) noexcept = default;
HttpSession& HttpSession::operator=(HttpSession&&) noexcept = default;
HttpSession::~HttpSession() = default;

absl::StatusOr<HttpSession> HttpSession::Make() {
  static std::once_flag once;
  static CURLcode init_rc = CURLE_OK;
  std::call_once(once, [] { init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (init_rc != CURLE_OK) {
    return absl::InternalError(absl::StrCat("curl_global_init: ", curl_easy_strerror(init_rc)));
  }
  auto h = std::make_unique<Handle>();
  h->curl.reset(curl_easy_init());
  if (!h->curl) return absl::ResourceExhaustedError("curl_easy_init failed");
  return HttpSession(std::move(h));
}

absl::StatusOr<HttpResponse> HttpSession::Perform(const HttpRequest& req, const BodySink* sink) {
  if (req.keep_going) {
    absl::Status go = req.keep_going();
    if (!go.ok()) return go;
  }
  CURL* c = h_->curl.get();
  // Reset keeps the connection cache, so keep-alive connections are reused.
  curl_easy_reset(c);
  SlistPtr headers;
  for (const std::string& h : req.headers) {
    curl_slist* next = curl_slist_append(headers.get(), h.c_str());
    if (next == nullptr) return absl::ResourceExhaustedError("curl_slist_append failed");
    headers.release();
    headers.reset(next);
  }
  HttpResponse resp;
  Transfer t;
  t.curl = c;
  t.req = &req;
  t.sink = sink;
  t.resp = &resp;
  char errbuf[CURL_ERROR_SIZE] = {0};
  curl_blob blob{};
  SetOptions(c, req, headers.get(), &blob, &t, errbuf);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &resp.status);
  char* url = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &url) == CURLE_OK && url) {
    resp.effective_url = url;
  }
  if (!t.sink_status.ok()) return t.sink_status;
  if (!t.abort_status.ok()) return t.abort_status;
  if (rc == CURLE_UNSUPPORTED_PROTOCOL && resp.status >= 300 && resp.status < 400) {
    resp.refused_redirect = resp.Header("location");
  }
  if (rc != CURLE_OK && !resp.too_large) {
    resp.curl_code = rc;
    resp.error = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    resp.stalled = rc == CURLE_OPERATION_TIMEDOUT &&
                   resp.error.find("too slow") != std::string::npos;
  }
  return resp;
}

std::string DescribeTransportError(const HttpRequest& req, const HttpResponse& resp) {
  if (resp.stalled) {
    return absl::StrCat(req.method, " ", req.url, ": transfer stalled: no data for ",
                        req.stall_seconds, "s (after ", resp.delivered, " bytes)");
  }
  return absl::StrCat(req.method, " ", req.url, ": ", resp.error);
}

}  // namespace cricket::image::registry
