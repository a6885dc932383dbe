// Retry policy for registry requests.
#include "image/registry/retry.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>

namespace cricket::image::registry {

bool IsRetryableHttpStatus(long status) {
  return status == 408 || status == 429 || (status >= 500 && status <= 599);
}

bool IsRetryableCurlCode(int code) {
  switch (static_cast<CURLcode>(code)) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_PARTIAL_FILE:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      return true;
    default:
      return false;
  }
}

std::chrono::milliseconds Backoff(const RetryPolicy& policy, int attempt,
                                  long retry_after_seconds) {
  using std::chrono::milliseconds;
  int shift = std::clamp(attempt - 1, 0, 20);
  milliseconds d = policy.initial_backoff * (int64_t{1} << shift);
  d = std::max(d, milliseconds(retry_after_seconds * 1000));
  return std::min(d, policy.max_backoff);
}

long ParseRetryAfter(const std::string& value) {
  if (value.empty() || value.size() > 9) return 0;
  for (char c : value) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return 0;
  }
  return std::stol(value);
}

}  // namespace cricket::image::registry
