// usage_nano_cores: the CPU rate between two cumulative usage samples, kept
// per container or pod as containerd and CRI-O keep theirs. Pure, no clock.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "absl/synchronization/mutex.h"

namespace cricket::pod {

// (usage1 - usage0) ns of CPU over (t1 - t0) ns of wall time, in nano cores
// (1e9 = one full core). 0 when time did not advance or the counter went back.
uint64_t NanoCores(uint64_t usage0_ns, int64_t t0_ns, uint64_t usage1_ns, int64_t t1_ns);

class CpuRateTracker {
 public:
  // A sample closer than this to the kept one returns the rate already
  // computed instead of a noisy one over a few milliseconds (the kubelet and
  // a crictl may sample back to back).
  static constexpr int64_t kMinIntervalNs = 1'000'000'000;

  // Records (usage_ns at now_ns) for key; nullopt on the first sample, so the
  // kubelet computes the rate from its own cache rather than trusting a 0.
  std::optional<uint64_t> Update(const std::string& key, uint64_t usage_ns, int64_t now_ns);
  // Drops keys not updated since before `cutoff_ns` (gone containers).
  void Prune(int64_t cutoff_ns);
  size_t size() const;

 private:
  struct Sample {
    int64_t t_ns = 0;
    uint64_t usage_ns = 0;
    std::optional<uint64_t> rate;
    int64_t seen_ns = 0;
  };
  mutable absl::Mutex mu_;
  std::map<std::string, Sample> samples_;
};

}  // namespace cricket::pod
