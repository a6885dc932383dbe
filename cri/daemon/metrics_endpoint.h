// The Prometheus scrape endpoint: a tiny HTTP/1.1 responder for GET /metrics
// on its own thread (config.metrics, off by default), and what a scrape shows.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>

#include "absl/status/statusor.h"
#include "cri/service/handler_context.h"
#include "oci/sys/unique_fd.h"

namespace cricket::cri {

class MetricsEndpoint {
 public:
  using RenderFn = std::function<std::string()>;

  // Listens on address:port (numeric IPv4 or IPv6; port 0 = a free one) and
  // serves from a thread of its own, one connection at a time.
  static absl::StatusOr<std::unique_ptr<MetricsEndpoint>> Start(const std::string& address,
                                                                int port, RenderFn render);
  MetricsEndpoint(const MetricsEndpoint&) = delete;
  MetricsEndpoint& operator=(const MetricsEndpoint&) = delete;
  // Stops the thread and closes the socket.
  ~MetricsEndpoint();

  int port() const { return port_; }

 private:
  MetricsEndpoint() = default;
  void Loop();
  void Serve(sys::UniqueFd conn);

  sys::UniqueFd listener_;
  sys::UniqueFd wake_;  // eventfd: written once to stop Loop()
  int port_ = 0;
  RenderFn render_;
  std::thread thread_;
};

// The reply to one request head (bytes up to the blank line): 200 with the
// text format for GET or HEAD /metrics, 404 for another path, 405 for
// another method, 400 for a malformed head. Connection: close always.
std::string MetricsHttpResponse(std::string_view head, const MetricsEndpoint::RenderFn& render);

// One scrape: the registry's counters and histograms, then gauges of pods and
// containers by state and the build info, computed now from ctx.
std::string ScrapeMetrics(const HandlerContext& ctx);

// Starts the endpoint when ctx->config.metrics.enabled; nullptr otherwise.
absl::StatusOr<std::unique_ptr<MetricsEndpoint>> StartMetricsEndpoint(
    std::shared_ptr<const HandlerContext> ctx);

}  // namespace cricket::cri
