// The process-wide metrics registry and its text rendering.
#include "cri/service/metrics_registry.h"

#include <algorithm>
#include <charconv>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace cricket::cri {
namespace {

constexpr char kRpcCalls[] = "cricket_cri_requests_total";
constexpr char kRpcSeconds[] = "cricket_cri_request_duration_seconds";
constexpr char kErrors[] = "cricket_cri_errors_total";
constexpr char kPulls[] = "cricket_image_pulls_total";
constexpr char kPullBytes[] = "cricket_image_pull_bytes_total";
constexpr char kPullSeconds[] = "cricket_image_pull_duration_seconds";

// The shortest text that reads back as the same double (0.1, not 0.1000...01).
std::string Number(double v) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : absl::StrFormat("%.17g", v);
}

void Header(std::string_view name, std::string_view help, std::string_view type, std::string& out) {
  absl::StrAppend(&out, "# HELP ", std::string(name), " ", std::string(help), "\n# TYPE ",
                  std::string(name), " ", std::string(type), "\n");
}

std::string Label(std::string_view name, std::string_view value) {
  return absl::StrCat(std::string(name), "=\"", EscapeLabelValue(value), "\"");
}

}  // namespace

// A CRI call takes from microseconds (Version) to minutes (a slow
// StopContainer).
const std::vector<double> MetricsRegistry::kRpcBounds = {
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};
const std::vector<double> MetricsRegistry::kPullBounds = {0.1, 0.5, 1,   2.5, 5,  10,
                                                          30,  60,  120, 300, 600};

void Histogram::Observe(double value) {
  if (counts_.empty()) counts_.assign(bounds_->size(), 0);
  auto it = std::lower_bound(bounds_->begin(), bounds_->end(), value);
  if (it != bounds_->end()) counts_[it - bounds_->begin()]++;
  count_++;
  sum_ += value;
}

void Histogram::Render(std::string_view name, const std::string& labels, std::string& out) const {
  const std::string sep = labels.empty() ? "" : ",";
  const std::string n(name);
  uint64_t cumulative = 0;
  for (size_t i = 0; i < bounds_->size(); ++i) {
    cumulative += counts_.empty() ? 0 : counts_[i];
    absl::StrAppend(&out, n, "_bucket{", labels, sep, "le=\"", Number((*bounds_)[i]), "\"} ",
                    cumulative, "\n");
  }
  absl::StrAppend(&out, n, "_bucket{", labels, sep, "le=\"+Inf\"} ", count_, "\n");
  const std::string braces = labels.empty() ? "" : absl::StrCat("{", labels, "}");
  absl::StrAppend(&out, n, "_sum", braces, " ", Number(sum_), "\n");
  absl::StrAppend(&out, n, "_count", braces, " ", count_, "\n");
}

MetricsRegistry& MetricsRegistry::Global() {
  static MetricsRegistry* const registry = new MetricsRegistry();  // never destroyed: threads
  return *registry;
}

void MetricsRegistry::ObserveRpc(std::string_view rpc, absl::StatusCode code, double seconds) {
  const std::string name(rpc);
  const std::string code_name = absl::StatusCodeToString(code);
  std::lock_guard<std::mutex> lock(mu_);
  rpc_calls_[{name, code_name}]++;
  rpc_seconds_.try_emplace(name, &kRpcBounds).first->second.Observe(seconds);
  if (code != absl::StatusCode::kOk) errors_[code_name]++;
}

void MetricsRegistry::ObservePull(bool ok, int64_t bytes, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  pulls_[ok ? "success" : "failure"]++;
  pull_bytes_ += static_cast<uint64_t>(std::max<int64_t>(bytes, 0));
  pull_seconds_.Observe(seconds);
}

std::string MetricsRegistry::Render() const {
  std::string out;
  std::lock_guard<std::mutex> lock(mu_);
  Header(kRpcCalls, "CRI calls served, by RPC and gRPC status code.", "counter", out);
  for (const auto& [key, n] : rpc_calls_) {
    absl::StrAppend(&out, kRpcCalls, "{", Label("rpc", key.first), ",", Label("code", key.second),
                    "} ", n, "\n");
  }
  Header(kRpcSeconds, "Latency of CRI calls, by RPC.", "histogram", out);
  for (const auto& [rpc, h] : rpc_seconds_) h.Render(kRpcSeconds, Label("rpc", rpc), out);
  Header(kErrors, "CRI calls that failed, by gRPC status code.", "counter", out);
  for (const auto& [code, n] : errors_) {
    absl::StrAppend(&out, kErrors, "{", Label("code", code), "} ", n, "\n");
  }
  Header(kPulls, "PullImage calls, by result (success, failure).", "counter", out);
  for (const char* result : {"success", "failure"}) {
    auto it = pulls_.find(result);
    absl::StrAppend(&out, kPulls, "{", Label("result", result), "} ",
                    it == pulls_.end() ? 0 : it->second, "\n");
  }
  Header(kPullBytes, "Bytes of image layers downloaded from registries by PullImage.", "counter",
         out);
  absl::StrAppend(&out, kPullBytes, " ", pull_bytes_, "\n");
  Header(kPullSeconds, "Duration of PullImage calls.", "histogram", out);
  pull_seconds_.Render(kPullSeconds, "", out);
  return out;
}

void RenderGauge(std::string_view name, std::string_view help, std::string_view label,
                 const std::map<std::string, double>& values, std::string& out) {
  Header(name, help, "gauge", out);
  for (const auto& [value, n] : values) {
    absl::StrAppend(&out, std::string(name), "{", Label(label, value), "} ", Number(n), "\n");
  }
}

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void PullObserver::Progress(const std::string& digest, int64_t done) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t& d = done_[digest];
  d = std::max(d, done);
}

absl::StatusOr<std::string> PullObserver::Done(absl::StatusOr<std::string> result) {
  int64_t bytes = 0;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [digest, n] : done_) bytes += n;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  MetricsRegistry::Global().ObservePull(result.ok(), bytes, seconds);
  return result;
}

}  // namespace cricket::cri
