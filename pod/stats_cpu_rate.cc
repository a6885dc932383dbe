// CPU rate tracking between samples.
#include "pod/stats_cpu_rate.h"

namespace cricket::pod {

uint64_t NanoCores(uint64_t usage0_ns, int64_t t0_ns, uint64_t usage1_ns, int64_t t1_ns) {
  if (t1_ns <= t0_ns || usage1_ns < usage0_ns) return 0;
  long double rate = static_cast<long double>(usage1_ns - usage0_ns) * 1e9L /
                     static_cast<long double>(t1_ns - t0_ns);
  return static_cast<uint64_t>(rate);
}

std::optional<uint64_t> CpuRateTracker::Update(const std::string& key, uint64_t usage_ns,
                                               int64_t now_ns) {
  absl::MutexLock l(&mu_);
  auto it = samples_.find(key);
  if (it == samples_.end()) {
    samples_[key] = {now_ns, usage_ns, std::nullopt, now_ns};
    return std::nullopt;
  }
  Sample& s = it->second;
  s.seen_ns = now_ns;
  if (usage_ns < s.usage_ns) {
    // A new cgroup under the same key (restarted): start over.
    s = {now_ns, usage_ns, std::nullopt, now_ns};
    return std::nullopt;
  }
  if (now_ns - s.t_ns < kMinIntervalNs) return s.rate;
  s.rate = NanoCores(s.usage_ns, s.t_ns, usage_ns, now_ns);
  s.t_ns = now_ns;
  s.usage_ns = usage_ns;
  return s.rate;
}

void CpuRateTracker::Prune(int64_t cutoff_ns) {
  absl::MutexLock l(&mu_);
  std::erase_if(samples_, [cutoff_ns](const auto& kv) { return kv.second.seen_ns < cutoff_ns; });
}

size_t CpuRateTracker::size() const {
  absl::MutexLock l(&mu_);
  return samples_.size();
}

}  // namespace cricket::pod
