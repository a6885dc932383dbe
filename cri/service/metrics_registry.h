// cricketd's Prometheus metrics: counters and latency histograms of CRI calls
// and image pulls, kept in one process-wide registry and rendered in the
// Prometheus text exposition format (version 0.0.4) for GET /metrics.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::cri {

// Cumulative bucket counts with fixed upper bounds (seconds), as Prometheus
// histograms are exposed: _bucket{le=...}, _sum, _count.
class Histogram {
 public:
  explicit Histogram(const std::vector<double>* bounds) : bounds_(bounds) {}
  void Observe(double value);
  // Lines of metric `name` with `labels` ("" or `rpc="X"`), no HELP/TYPE.
  void Render(std::string_view name, const std::string& labels, std::string& out) const;

 private:
  const std::vector<double>* bounds_;  // ascending; +Inf is implied
  std::vector<uint64_t> counts_;       // per bound, not cumulative; sized on first use
  uint64_t count_ = 0;
  double sum_ = 0;
};

class MetricsRegistry {
 public:
  // The registry the daemon's wrappers feed (Instrumented, PullImage).
  static MetricsRegistry& Global();

  // One finished CRI call: its RPC name ("RunPodSandbox"), result and latency.
  void ObserveRpc(std::string_view rpc, absl::StatusCode code, double seconds);
  // One finished PullImage: whether it worked, bytes fetched from the
  // registry (0 when the image was present), and how long it took.
  void ObservePull(bool ok, int64_t bytes, double seconds);

  // Everything recorded, in the text format, HELP and TYPE first per family.
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::pair<std::string, std::string>, uint64_t> rpc_calls_;  // (rpc, code)
  std::map<std::string, Histogram> rpc_seconds_;                       // by rpc
  std::map<std::string, uint64_t> errors_;                             // by code
  std::map<std::string, uint64_t> pulls_;                              // by result
  uint64_t pull_bytes_ = 0;
  Histogram pull_seconds_{&kPullBounds};

  static const std::vector<double> kRpcBounds;
  static const std::vector<double> kPullBounds;
};

// One gauge family: `# HELP`, `# TYPE gauge` and one line per label value.
void RenderGauge(std::string_view name, std::string_view help, std::string_view label,
                 const std::map<std::string, double>& values, std::string& out);

// `value` with \, " and newline escaped, as label values must be.
std::string EscapeLabelValue(std::string_view value);

// Times one PullImage and counts the bytes its progress reports (the last
// count per blob); Done() records the result in the global registry.
class PullObserver {
 public:
  PullObserver() : start_(std::chrono::steady_clock::now()) {}
  // From the pull's progress callback (worker threads, one at a time).
  void Progress(const std::string& digest, int64_t done);
  // Records the pull and hands its result through.
  absl::StatusOr<std::string> Done(absl::StatusOr<std::string> result);

 private:
  std::chrono::steady_clock::time_point start_;
  std::mutex mu_;
  std::map<std::string, int64_t> done_;  // by blob digest
};

}  // namespace cricket::cri
