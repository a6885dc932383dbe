// The kubelet's memory figures from cgroup files, against temp dirs laid out
// like a v2 cgroup and like v1 hierarchies.
#include "pod/stats_memory.h"

#include <gtest/gtest.h>

#include "oci/cgroup/stats_read.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"

namespace cricket::pod {
namespace {

void Write(const std::string& path, const std::string& text) {
  ASSERT_TRUE(sys::WriteFileAtomic(path, text).ok()) << path;
}

TEST(ComputeMemory, V2Hierarchy) {
  auto dir = sys::TempDir::Make("stats-v2-");
  ASSERT_TRUE(dir.ok());
  const std::string d = dir->path();
  Write(d + "/memory.current", "10485760\n");
  Write(d + "/memory.max", "16777216\n");
  Write(d + "/memory.stat",
        "anon 4194304\nfile 6291456\nfile_mapped 4096\nactive_file 2097152\n"
        "inactive_file 3145728\npgfault 1200\npgmajfault 7\n");
  Write(d + "/memory.events", "low 0\nhigh 0\nmax 2\noom 1\noom_kill 1\n");
  Write(d + "/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\n");
  Write(d + "/pids.current", "3\n");
  auto s = oci::cgroup::ReadStatsV2(d);
  ASSERT_TRUE(s.ok()) << s.status();
  MemoryFigures m = ComputeMemory(*s);
  EXPECT_EQ(m.usage, 10485760u);
  EXPECT_EQ(m.working_set, 10485760u - 3145728u);
  EXPECT_EQ(m.rss, 4194304u);
  EXPECT_EQ(m.cache, 6291456u);
  EXPECT_EQ(m.page_faults, 1200u);
  EXPECT_EQ(m.major_page_faults, 7u);
  ASSERT_TRUE(m.available.has_value());
  EXPECT_EQ(*m.available, 16777216u - m.working_set);
  EXPECT_EQ(s->cpu.usage.total, 1500000u);
  EXPECT_EQ(s->pids.current, 3u);
  EXPECT_EQ(s->oom_kill, 1u);
}

TEST(ComputeMemory, V2WithoutLimitHasNoAvailable) {
  auto dir = sys::TempDir::Make("stats-v2-");
  ASSERT_TRUE(dir.ok());
  Write(dir->Sub("memory.current"), "100\n");
  Write(dir->Sub("memory.max"), "max\n");
  Write(dir->Sub("memory.stat"), "anon 10\ninactive_file 400\n");
  auto s = oci::cgroup::ReadStatsV2(dir->path());
  ASSERT_TRUE(s.ok()) << s.status();
  MemoryFigures m = ComputeMemory(*s);
  EXPECT_EQ(m.working_set, 0u);  // inactive above usage: clamped, never negative
  EXPECT_FALSE(m.available.has_value());
}

TEST(ComputeMemory, V1Hierarchies) {
  auto dir = sys::TempDir::Make("stats-v1-");
  ASSERT_TRUE(dir.ok());
  const std::string mem = dir->Sub("memory"), acct = dir->Sub("cpuacct");
  ASSERT_TRUE(sys::MkdirAll(mem).ok());
  ASSERT_TRUE(sys::MkdirAll(acct).ok());
  Write(mem + "/memory.usage_in_bytes", "8192000\n");
  Write(mem + "/memory.limit_in_bytes", "9223372036854771712\n");  // no limit
  // Per-cgroup names and hierarchical total_* ones: the totals count.
  Write(mem + "/memory.stat",
        "cache 1\nrss 2\ninactive_file 3\ntotal_cache 4096000\ntotal_rss 2048000\n"
        "total_inactive_file 1024000\ntotal_pgfault 50\ntotal_pgmajfault 5\n");
  Write(acct + "/cpuacct.usage", "123456789\n");
  auto s = oci::cgroup::ReadStatsV1({{"memory", mem}, {"cpuacct", acct}});
  ASSERT_TRUE(s.ok()) << s.status();
  MemoryFigures m = ComputeMemory(*s);
  EXPECT_EQ(m.usage, 8192000u);
  EXPECT_EQ(m.working_set, 8192000u - 1024000u);
  EXPECT_EQ(m.rss, 2048000u);
  EXPECT_EQ(m.cache, 4096000u);
  EXPECT_EQ(m.page_faults, 50u);
  EXPECT_EQ(m.major_page_faults, 5u);
  EXPECT_FALSE(m.available.has_value());
  EXPECT_EQ(s->cpu.usage.total, 123456789u);
}

}  // namespace
}  // namespace cricket::pod
