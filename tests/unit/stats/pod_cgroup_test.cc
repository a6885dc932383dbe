// The pod cgroup parent's path and the containers' sum.
#include "pod/stats_pod_cgroup.h"

#include <gtest/gtest.h>

#include "oci/sys/temp_dir.h"

namespace cricket::pod {
namespace {

TEST(PodCgroupPath, CgroupfsAndSystemdParents) {
  EXPECT_EQ(PodCgroupPath("/kubepods/burstable/pod123"), "/kubepods/burstable/pod123");
  EXPECT_EQ(PodCgroupPath("kubepods-burstable-pod123.slice"),
            "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod123.slice");
  EXPECT_FALSE(PodCgroupPath("").has_value());
  EXPECT_FALSE(PodCgroupPath("/").has_value());
  EXPECT_FALSE(PodCgroupPath("relative/path").has_value());
  EXPECT_FALSE(PodCgroupPath("a--b.slice").has_value());
}

TEST(ReadPodCgroupStats, AbsentCgroupIsNullopt) {
  auto root = sys::TempDir::Make("stats-root-");
  ASSERT_TRUE(root.ok());
  auto s = ReadPodCgroupStats(root->path(), "/kubepods/podX");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_FALSE(s->has_value());
}

TEST(SumStats, AddsCountersOfContainers) {
  oci::cgroup::Stats a, b;
  a.cpu.usage.total = 100;
  b.cpu.usage.total = 50;
  a.memory.usage.usage = 1000;
  b.memory.usage.usage = 500;
  a.memory.usage.limit = 4096;
  a.memory.raw = {{"anon", 10}, {"inactive_file", 5}};
  b.memory.raw = {{"anon", 1}};
  a.pids.current = 2;
  b.pids.current = 1;
  oci::cgroup::Stats sum = SumStats({a, b});
  EXPECT_EQ(sum.cpu.usage.total, 150u);
  EXPECT_EQ(sum.memory.usage.usage, 1500u);
  EXPECT_EQ(sum.memory.usage.limit, 0u);
  EXPECT_EQ(sum.memory.raw["anon"], 11u);
  EXPECT_EQ(sum.memory.raw["inactive_file"], 5u);
  EXPECT_EQ(sum.pids.current, 3u);
}

}  // namespace
}  // namespace cricket::pod
