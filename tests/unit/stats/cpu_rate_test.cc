// usage_nano_cores from two cumulative samples.
#include "pod/stats_cpu_rate.h"

#include <gtest/gtest.h>

namespace cricket::pod {
namespace {

constexpr int64_t kSec = 1'000'000'000;

TEST(NanoCores, RateOverInterval) {
  EXPECT_EQ(NanoCores(0, 0, kSec, kSec), 1'000'000'000u);      // one full core
  EXPECT_EQ(NanoCores(0, 0, kSec / 2, 2 * kSec), 250'000'000u);  // a quarter
  EXPECT_EQ(NanoCores(5, 10, 5, 20), 0u);
}

TEST(NanoCores, NoTimeOrBackwardsCounterIsZero) {
  EXPECT_EQ(NanoCores(0, 10, 100, 10), 0u);
  EXPECT_EQ(NanoCores(100, 0, 50, kSec), 0u);
}

TEST(CpuRateTracker, FirstSampleIsUnsetThenRate) {
  CpuRateTracker t;
  EXPECT_FALSE(t.Update("c", 0, 10 * kSec).has_value());
  auto r = t.Update("c", 2 * kSec, 12 * kSec);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, 1'000'000'000u);
}

TEST(CpuRateTracker, CloseSamplesReuseTheLastRate) {
  CpuRateTracker t;
  t.Update("c", 0, 0);
  EXPECT_FALSE(t.Update("c", 1000, kSec / 10).has_value());  // too close, no rate yet
  EXPECT_EQ(*t.Update("c", kSec, 2 * kSec), 500'000'000u);
  EXPECT_EQ(*t.Update("c", 100 * kSec, 2 * kSec + 1000), 500'000'000u);  // kept
  EXPECT_EQ(*t.Update("c", 2 * kSec, 4 * kSec), 500'000'000u);
}

TEST(CpuRateTracker, CounterResetStartsOver) {
  CpuRateTracker t;
  t.Update("c", 5 * kSec, 0);
  EXPECT_FALSE(t.Update("c", kSec, 2 * kSec).has_value());
  EXPECT_TRUE(t.Update("c", 2 * kSec, 4 * kSec).has_value());
}

TEST(CpuRateTracker, KeysAreIndependentAndPruned) {
  CpuRateTracker t;
  t.Update("a", 0, 0);
  t.Update("b", 0, 10 * kSec);
  EXPECT_EQ(t.size(), 2u);
  t.Prune(5 * kSec);
  EXPECT_EQ(t.size(), 1u);
  EXPECT_FALSE(t.Update("a", kSec, 20 * kSec).has_value());  // forgotten: first again
}

}  // namespace
}  // namespace cricket::pod
