// When a registry request is tried again and how long to wait first. Pure, so
// the policy is unit-tested: transient failures (5xx, 429, 408, timeouts,
// connection resets) are retried with exponential backoff; answers that will
// not change (other 4xx, TLS verification failures) are not.
#pragma once

#include <chrono>
#include <string>

namespace cricket::image::registry {

struct RetryPolicy {
  int retries = 3;  // extra attempts after the first
  std::chrono::milliseconds initial_backoff{200};
  std::chrono::milliseconds max_backoff{5000};
};

// An HTTP status worth retrying (the registry or a proxy was overloaded or down).
bool IsRetryableHttpStatus(long status);

// A libcurl result code (CURLcode as int) that names a transient transport
// failure: refused or reset connections, timeouts, truncated transfers.
bool IsRetryableCurlCode(int code);

// Delay before attempt `attempt` (1 = the first retry): initial * 2^(attempt-1),
// capped; a Retry-After the server sent (in seconds, 0 = none) wins when
// larger, still capped at max_backoff.
std::chrono::milliseconds Backoff(const RetryPolicy& policy, int attempt,
                                  long retry_after_seconds = 0);

// Parses a Retry-After header given in seconds; 0 when absent or an HTTP date.
long ParseRetryAfter(const std::string& value);

}  // namespace cricket::image::registry
