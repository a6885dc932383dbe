// The v2 manager driven against a temporary directory laid out like a v2
// hierarchy (this host runs v1), and the v1/v2 stats readers on sample files.
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "oci/cgroup/stats_read.h"
#include "oci/cgroup/v2.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"

namespace cricket::oci::cgroup {
namespace {

void Put(const std::string& path, const std::string& text) {
  ASSERT_TRUE(sys::WriteFileAtomic(path, text).ok()) << path;
}

std::string Get(const std::string& path) {
  absl::StatusOr<std::string> s = sys::ReadFile(path);
  return s.ok() ? *s : "<missing " + path + ">";
}

class FakeV2 : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = sys::TempDir::Make("cgroup-v2-");
    ASSERT_TRUE(t.ok());
    tmp_ = std::move(*t);
    root_ = tmp_.path();
    Put(root_ + "/cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma\n");
    Put(root_ + "/cgroup.subtree_control", "");
    ASSERT_TRUE(sys::MkdirAll(root_ + "/kube").ok());
    Put(root_ + "/kube/cgroup.controllers", "cpu memory pids\n");
    Put(root_ + "/kube/cgroup.subtree_control", "");
  }
  // The files the kernel would make in a new cgroup.
  void Populate(const std::string& dir) {
    for (const char* f : {"cgroup.procs", "cgroup.freeze", "cpu.weight", "cpu.max", "memory.max",
                          "memory.swap.max", "memory.low", "pids.max", "io.weight", "io.max"}) {
      Put(dir + "/" + f, "");
    }
  }
  sys::TempDir tmp_;
  std::string root_;
};

TEST_F(FakeV2, CreateEnablesControllersInEachParent) {
  V2Manager m({root_, "/kube/pod1", false});
  ASSERT_TRUE(m.Create().ok());
  EXPECT_TRUE(sys::PathExists(root_ + "/kube/pod1"));
  EXPECT_EQ(Get(root_ + "/cgroup.subtree_control"),
            "+cpuset +cpu +io +memory +hugetlb +pids +rdma");
  EXPECT_EQ(Get(root_ + "/kube/cgroup.subtree_control"), "+cpu +memory +pids");
  EXPECT_EQ(m.dir(), root_ + "/kube/pod1");
  EXPECT_EQ(m.Path(), "/kube/pod1");
}

TEST_F(FakeV2, SetWritesThePlan) {
  V2Manager m({root_, "/kube/c1", false});
  ASSERT_TRUE(m.Create().ok());
  const std::string dir = root_ + "/kube/c1";
  Populate(dir);
  absl::StatusOr<Resources> r = ResourcesFromJson(nlohmann::json::parse(R"({
      "cpu": {"shares": 512, "quota": 25000, "period": 50000},
      "memory": {"limit": 67108864, "swap": 134217728},
      "pids": {"limit": 10},
      "devices": [{"allow": false, "access": "rwm"}]})"));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(m.Set(*r).ok());
  EXPECT_EQ(Get(dir + "/cpu.weight"), "59");
  EXPECT_EQ(Get(dir + "/cpu.max"), "25000 50000");
  EXPECT_EQ(Get(dir + "/memory.max"), "67108864");
  EXPECT_EQ(Get(dir + "/memory.swap.max"), "67108864");
  EXPECT_EQ(Get(dir + "/pids.max"), "10");
  ASSERT_TRUE(m.AddProcess(4242).ok());
  EXPECT_EQ(Get(dir + "/cgroup.procs"), "4242");
  // A file the kernel lacks is an error naming it.
  r = ResourcesFromJson(nlohmann::json::parse(R"({"unified": {"memory.high": "5"}})"));
  absl::Status st = m.Set(*r);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(std::string(st.message()).find("memory.high"), std::string::npos) << st;
}

TEST_F(FakeV2, FreezeWaitsForEventsAndStatsRead) {
  V2Manager m({root_, "/kube/c2", false});
  ASSERT_TRUE(m.Create().ok());
  const std::string dir = root_ + "/kube/c2";
  Populate(dir);
  Put(dir + "/cgroup.events", "populated 1\nfrozen 1\n");
  ASSERT_TRUE(m.Freeze().ok());
  EXPECT_EQ(Get(dir + "/cgroup.freeze"), "1");
  Put(dir + "/cgroup.events", "populated 1\nfrozen 0\n");
  ASSERT_TRUE(m.Thaw().ok());
  EXPECT_EQ(Get(dir + "/cgroup.freeze"), "0");

  Put(dir + "/cpu.stat", "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 4\n"
                         "nr_throttled 1\nthrottled_usec 20\n");
  Put(dir + "/memory.current", "4096\n");
  Put(dir + "/memory.max", "max\n");
  Put(dir + "/memory.stat", "anon 1024\nfile 2048\ninactive_file 512\n");
  Put(dir + "/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
  Put(dir + "/memory.swap.current", "100\n");
  Put(dir + "/memory.swap.max", "max\n");
  Put(dir + "/pids.current", "2\n");
  Put(dir + "/pids.max", "max\n");
  Put(dir + "/io.stat", "8:0 rbytes=10 wbytes=20 rios=1 wios=2 dbytes=0 dios=0\n");
  Put(dir + "/hugetlb.2MB.current", "0\n");
  Put(dir + "/hugetlb.2MB.events", "max 2\n");
  absl::StatusOr<Stats> s = m.GetStats();
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->cpu.usage.total, 1500000u);
  EXPECT_EQ(s->cpu.usage.kernel, 500000u);
  EXPECT_EQ(s->cpu.throttling.throttled_time, 20000u);
  EXPECT_EQ(s->memory.usage.usage, 4096u);
  EXPECT_EQ(s->memory.usage.failcnt, 3u);
  EXPECT_EQ(s->memory.cache, 2048u);
  EXPECT_EQ(s->memory.swap.usage, 4196u);  // mem+swap, as v1 reports it
  EXPECT_EQ(s->pids.current, 2u);
  EXPECT_EQ(s->pids.limit, 0u);
  EXPECT_EQ(s->blkio.io_service_bytes_recursive.size(), 3u);
  EXPECT_EQ(s->hugetlb["2MB"].failcnt, 2u);
  EXPECT_EQ(s->oom_kill, 1u);
  EXPECT_TRUE(m.OomKilled());
  absl::StatusOr<std::vector<pid_t>> pids = m.Pids();
  ASSERT_TRUE(pids.ok());
  EXPECT_TRUE(pids->empty());
}

TEST(CgroupStatsV1, ReadsSampleFiles) {
  auto t = sys::TempDir::Make("cgroup-v1-");
  ASSERT_TRUE(t.ok());
  const std::string acct = t->Sub("cpuacct"), cpu = t->Sub("cpu"), mem = t->Sub("memory"),
                    pids = t->Sub("pids"), blkio = t->Sub("blkio");
  for (const auto& d : {acct, cpu, mem, pids, blkio}) ASSERT_TRUE(sys::MkdirAll(d).ok());
  Put(acct + "/cpuacct.usage", "3000\n");
  Put(acct + "/cpuacct.usage_percpu", "1000 2000 \n");
  Put(acct + "/cpuacct.stat", "user 2\nsystem 1\n");
  Put(cpu + "/cpu.stat", "nr_periods 5\nnr_throttled 2\nthrottled_time 77\n");
  Put(mem + "/memory.usage_in_bytes", "8192\n");
  Put(mem + "/memory.max_usage_in_bytes", "16384\n");
  Put(mem + "/memory.limit_in_bytes", "9223372036854771712\n");
  Put(mem + "/memory.failcnt", "0\n");
  Put(mem + "/memory.stat", "cache 10\nrss 20\ntotal_cache 30\ntotal_inactive_file 5\n");
  Put(mem + "/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
  Put(mem + "/memory.use_hierarchy", "1\n");
  Put(pids + "/pids.current", "1\n");
  Put(pids + "/pids.max", "32\n");
  Put(blkio + "/blkio.throttle.io_service_bytes", "8:0 Read 100\n8:0 Write 0\nTotal 100\n");
  absl::StatusOr<Stats> s = ReadStatsV1(
      {{"cpuacct", acct}, {"cpu", cpu}, {"memory", mem}, {"pids", pids}, {"blkio", blkio}});
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->cpu.usage.total, 3000u);
  EXPECT_EQ(s->cpu.usage.percpu, (std::vector<uint64_t>{1000, 2000}));
  EXPECT_GT(s->cpu.usage.user, s->cpu.usage.kernel);
  EXPECT_EQ(s->cpu.throttling.throttled_periods, 2u);
  EXPECT_EQ(s->memory.usage.max, 16384u);
  EXPECT_EQ(s->memory.cache, 30u);
  EXPECT_EQ(s->memory.raw.at("total_inactive_file"), 5u);
  EXPECT_TRUE(s->memory.use_hierarchy);
  EXPECT_EQ(s->memory.swap.usage, 0u);  // no memsw files: swap accounting off
  EXPECT_EQ(s->pids.limit, 32u);
  EXPECT_EQ(s->blkio.io_service_bytes_recursive.size(), 2u);
  // A malformed file is an error naming it.
  Put(pids + "/pids.current", "lots\n");
  s = ReadStatsV1({{"pids", pids}});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(std::string(s.status().message()).find("pids.current"), std::string::npos);
}

}  // namespace
}  // namespace cricket::oci::cgroup
