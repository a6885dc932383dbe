// The retry policy: what is retried and how long we wait.
#include "image/registry/retry.h"

#include <curl/curl.h>

#include "gtest/gtest.h"
#include "image/registry/errors.h"

namespace cricket::image::registry {
namespace {

TEST(Retry, HttpStatuses) {
  for (long s : {500L, 502L, 503L, 504L, 429L, 408L}) EXPECT_TRUE(IsRetryableHttpStatus(s)) << s;
  for (long s : {200L, 400L, 401L, 403L, 404L, 416L}) EXPECT_FALSE(IsRetryableHttpStatus(s)) << s;
}

TEST(Retry, CurlCodes) {
  for (CURLcode c : {CURLE_COULDNT_CONNECT, CURLE_OPERATION_TIMEDOUT, CURLE_RECV_ERROR,
                     CURLE_SEND_ERROR, CURLE_PARTIAL_FILE, CURLE_GOT_NOTHING}) {
    EXPECT_TRUE(IsRetryableCurlCode(c)) << c;
  }
  for (CURLcode c : {CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_WRITE_ERROR,
                     CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT}) {
    EXPECT_FALSE(IsRetryableCurlCode(c)) << c;
  }
}

TEST(Retry, ExponentialCapped) {
  RetryPolicy p;
  p.initial_backoff = std::chrono::milliseconds(100);
  p.max_backoff = std::chrono::milliseconds(1000);
  EXPECT_EQ(Backoff(p, 1).count(), 100);
  EXPECT_EQ(Backoff(p, 2).count(), 200);
  EXPECT_EQ(Backoff(p, 3).count(), 400);
  EXPECT_EQ(Backoff(p, 5).count(), 1000);
  EXPECT_EQ(Backoff(p, 60).count(), 1000);
  EXPECT_EQ(Backoff(p, 1, /*retry_after_seconds=*/0).count(), 100);
  p.max_backoff = std::chrono::milliseconds(5000);
  EXPECT_EQ(Backoff(p, 1, 2).count(), 2000);   // server's Retry-After wins
  EXPECT_EQ(Backoff(p, 1, 60).count(), 5000);  // but stays capped
}

TEST(Retry, RetryAfterParsing) {
  EXPECT_EQ(ParseRetryAfter("3"), 3);
  EXPECT_EQ(ParseRetryAfter(""), 0);
  EXPECT_EQ(ParseRetryAfter("Wed, 21 Oct 2015 07:28:00 GMT"), 0);
  EXPECT_EQ(ParseRetryAfter("-1"), 0);
}

TEST(Errors, CodesAndRegistryMessages) {
  auto st = HttpStatusError("registry r: manifest a:b", 404,
                            R"({"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]})");
  EXPECT_EQ(st.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(st.message(), "registry r: manifest a:b: HTTP 404: manifest unknown (MANIFEST_UNKNOWN)");
  EXPECT_EQ(CodeForHttpStatus(401), absl::StatusCode::kUnauthenticated);
  EXPECT_EQ(CodeForHttpStatus(403), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(CodeForHttpStatus(503), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForHttpStatus(429), absl::StatusCode::kUnavailable);
  EXPECT_EQ(CodeForHttpStatus(400), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(CodeForHttpStatus(416), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(RegistryErrorMessage("<html>\nBad Gateway</html>"), "<html> Bad Gateway</html>");
  EXPECT_EQ(RegistryErrorMessage(""), "");
}

}  // namespace
}  // namespace cricket::image::registry
