// The Prometheus text cricketd serves: counters, histograms, gauges, label
// escaping, and the HTTP answers of the scrape endpoint to good and bad
// requests.
#include "cri/service/metrics_registry.h"

#include <string>

#include "cri/daemon/metrics_endpoint.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace cricket::cri {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

TEST(MetricsRegistry, CountsCallsByRpcAndCodeAndErrorsByCode) {
  MetricsRegistry r;
  r.ObserveRpc("Version", absl::StatusCode::kOk, 0.0004);
  r.ObserveRpc("Version", absl::StatusCode::kOk, 0.002);
  r.ObserveRpc("PodSandboxStatus", absl::StatusCode::kNotFound, 0.003);
  const std::string text = r.Render();
  EXPECT_THAT(text, HasSubstr("# TYPE cricket_cri_requests_total counter\n"));
  EXPECT_THAT(text, HasSubstr("cricket_cri_requests_total{rpc=\"Version\",code=\"OK\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("cricket_cri_requests_total{rpc="
                              "\"PodSandboxStatus\",code=\"NOT_FOUND\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cricket_cri_errors_total{code=\"NOT_FOUND\"} 1\n"));
  EXPECT_THAT(text, Not(HasSubstr("cricket_cri_errors_total{code=\"OK\"}")));
}

TEST(MetricsRegistry, HistogramBucketsAreCumulative) {
  MetricsRegistry r;
  r.ObserveRpc("Version", absl::StatusCode::kOk, 0.0004);  // ≤ 0.001
  r.ObserveRpc("Version", absl::StatusCode::kOk, 0.002);   // ≤ 0.005
  r.ObserveRpc("Version", absl::StatusCode::kOk, 1000);    // only +Inf
  const std::string text = r.Render();
  const std::string h = "cricket_cri_request_duration_seconds";
  EXPECT_THAT(text, HasSubstr("# TYPE " + h + " histogram\n"));
  EXPECT_THAT(text, HasSubstr(h + "_bucket{rpc=\"Version\",le=\"0.001\"} 1\n"));
  EXPECT_THAT(text, HasSubstr(h + "_bucket{rpc=\"Version\",le=\"0.005\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(h + "_bucket{rpc=\"Version\",le=\"120\"} 2\n"));
  EXPECT_THAT(text, HasSubstr(h + "_bucket{rpc=\"Version\",le=\"+Inf\"} 3\n"));
  EXPECT_THAT(text, HasSubstr(h + "_count{rpc=\"Version\"} 3\n"));
  EXPECT_THAT(text, HasSubstr(h + "_sum{rpc=\"Version\"} 1000.0024\n"));
}

TEST(MetricsRegistry, PullsCountBytesAndResults) {
  MetricsRegistry r;
  r.ObservePull(true, 1500, 2.0);
  r.ObservePull(false, 10, 0.2);
  const std::string text = r.Render();
  EXPECT_THAT(text, HasSubstr("cricket_image_pulls_total{result=\"success\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cricket_image_pulls_total{result=\"failure\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("cricket_image_pull_bytes_total 1510\n"));
  EXPECT_THAT(text, HasSubstr("cricket_image_pull_duration_seconds_bucket{le=\"2.5\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("cricket_image_pull_duration_seconds_count 2\n"));
}

TEST(MetricsRegistry, EveryFamilyHasHelpAndTypeBeforeItsSamples) {
  MetricsRegistry r;
  const std::string text = r.Render();  // empty families still say what they are
  for (const char* family :
       {"cricket_cri_requests_total", "cricket_cri_request_duration_seconds",
        "cricket_cri_errors_total", "cricket_image_pulls_total", "cricket_image_pull_bytes_total",
        "cricket_image_pull_duration_seconds"}) {
    EXPECT_THAT(text, HasSubstr(std::string("# HELP ") + family + " ")) << family;
    EXPECT_THAT(text, HasSubstr(std::string("# TYPE ") + family + " ")) << family;
  }
}

TEST(MetricsRegistry, PullObserverSumsTheLastCountOfEachBlob) {
  // The observer feeds the global registry: compare before and after.
  auto bytes = [] {
    const std::string text = MetricsRegistry::Global().Render();
    const std::string key = "\ncricket_image_pull_bytes_total ";
    size_t at = text.find(key);
    return std::stoll(text.substr(at + key.size()));
  };
  const long long before = bytes();
  PullObserver pull;
  pull.Progress("sha256:a", 100);
  pull.Progress("sha256:a", 400);
  pull.Progress("sha256:b", 50);
  auto id = pull.Done(std::string("sha256:image"));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(*id, "sha256:image");
  EXPECT_EQ(bytes() - before, 450);
}

TEST(MetricsRegistry, GaugesAndEscapedLabels) {
  std::string out;
  RenderGauge("cricket_pods", "Pods by state.", "state", {{"ready", 2}, {"a\"b\\c\nd", 0}}, out);
  EXPECT_EQ(out,
            "# HELP cricket_pods Pods by state.\n# TYPE cricket_pods gauge\n"
            "cricket_pods{state=\"a\\\"b\\\\c\\nd\"} "
            "0\ncricket_pods{state=\"ready\"} 2\n");
}

std::string Render() { return "metric_a 1\n"; }

TEST(MetricsHttp, GetMetricsAnswersTheTextFormat) {
  std::string r = MetricsHttpResponse("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", Render);
  EXPECT_THAT(r, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(r, HasSubstr("Content-Type: text/plain; version=0.0.4"));
  EXPECT_THAT(r, HasSubstr("Content-Length: 11\r\n"));
  EXPECT_THAT(r, HasSubstr("\r\n\r\nmetric_a 1\n"));
}

TEST(MetricsHttp, HeadHasNoBody) {
  std::string r = MetricsHttpResponse("HEAD /metrics HTTP/1.1\r\n\r\n", Render);
  EXPECT_THAT(r, StartsWith("HTTP/1.1 200 OK\r\n"));
  EXPECT_THAT(r, Not(HasSubstr("metric_a")));
}

TEST(MetricsHttp, BadRequestsGetErrorsNotCrashes) {
  EXPECT_THAT(MetricsHttpResponse("GET / HTTP/1.1\r\n\r\n", Render), StartsWith("HTTP/1.1 404 "));
  EXPECT_THAT(MetricsHttpResponse("POST /metrics HTTP/1.1\r\n\r\n", Render),
              StartsWith("HTTP/1.1 405 "));
  for (const char* junk : {"\r\n\r\n", "garbage\r\n\r\n", "GET\r\n\r\n",
                           "GET /metrics HTTP/1.1\r\nno colon here\r\n\r\n"}) {
    EXPECT_THAT(MetricsHttpResponse(junk, Render), StartsWith("HTTP/1.1 400 ")) << junk;
  }
  EXPECT_THAT(MetricsHttpResponse(std::string(64 * 1024, 'A'), Render),
              StartsWith("HTTP/1.1 400 "));
}

}  // namespace
}  // namespace cricket::cri
