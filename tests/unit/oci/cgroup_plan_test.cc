// The "decide" half of cgroup Set(): which file gets which value, for v1 and
// v2, checked against tables (no kernel involved).
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "oci/cgroup/plan.h"

namespace cricket::oci::cgroup {
namespace {

Resources FromJson(const char* text) {
  absl::StatusOr<Resources> r = ResourcesFromJson(nlohmann::json::parse(text));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : Resources{};
}

struct Case {
  const char* name;
  const char* resources;
  Plan v1;
  Plan v2;
};

const Case kCases[] = {
    {"empty", "{}", {}, {}},
    {"cpu",
     R"({"cpu": {"shares": 1024, "quota": 50000, "period": 100000, "cpus": "0", "mems": "0"}})",
     {{"cpu.shares", "1024"}, {"cpu.cfs_period_us", "100000"}, {"cpu.cfs_quota_us", "50000"},
      {"cpuset.cpus", "0"}, {"cpuset.mems", "0"}},
     {{"cpu.weight", "100"}, {"cpu.max", "50000 100000"}, {"cpuset.cpus", "0"},
      {"cpuset.mems", "0"}}},
    {"cpu quota without period uses the kernel default period",
     R"({"cpu": {"quota": 20000}})",
     {{"cpu.cfs_quota_us", "20000"}},
     {{"cpu.max", "20000 100000"}}},
    {"cpu unlimited quota", R"({"cpu": {"quota": -1, "period": 50000}})",
     {{"cpu.cfs_period_us", "50000"}, {"cpu.cfs_quota_us", "-1"}},
     {{"cpu.max", "max 50000"}}},
    {"cpu shares extremes", R"({"cpu": {"shares": 2}})", {{"cpu.shares", "2"}},
     {{"cpu.weight", "1"}}},
    {"memory with swap",
     R"({"memory": {"limit": 1048576, "swap": 3145728, "reservation": 524288}})",
     {{"memory.limit_in_bytes", "1048576"}, {"memory.memsw.limit_in_bytes", "3145728"},
      {"memory.soft_limit_in_bytes", "524288"}},
     {{"memory.swap.max", "2097152"}, {"memory.max", "1048576"}, {"memory.low", "524288"}}},
    {"memory unlimited implies unlimited swap", R"({"memory": {"limit": -1}})",
     {{"memory.limit_in_bytes", "-1"}, {"memory.memsw.limit_in_bytes", "-1"}},
     {{"memory.swap.max", "max"}, {"memory.max", "max"}}},
    {"memory v1-only knobs",
     R"({"memory": {"kernel": 100, "kernelTCP": 200, "swappiness": 10,
                    "disableOOMKiller": true, "useHierarchy": true}})",
     {{"memory.kmem.limit_in_bytes", "100"}, {"memory.kmem.tcp.limit_in_bytes", "200"},
      {"memory.swappiness", "10"}, {"memory.oom_control", "1"}, {"memory.use_hierarchy", "1"}},
     {}},
    {"pids", R"({"pids": {"limit": 32}})", {{"pids.max", "32"}}, {{"pids.max", "32"}}},
    {"pids unlimited", R"({"pids": {"limit": -1}})", {{"pids.max", "max"}},
     {{"pids.max", "max"}}},
    {"pids zero means unlimited", R"({"pids": {"limit": 0}})", {{"pids.max", "max"}},
     {{"pids.max", "max"}}},
    {"block io",
     R"({"blockIO": {"weight": 500, "weightDevice": [{"major": 8, "minor": 0, "weight": 10}],
                     "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 600}],
                     "throttleWriteIOPSDevice": [{"major": 8, "minor": 16, "rate": 30}]}})",
     {{"blkio.weight", "500"}, {"blkio.weight_device", "8:0 10"},
      {"blkio.throttle.read_bps_device", "8:0 600"},
      {"blkio.throttle.write_iops_device", "8:16 30"}},
     {{"io.weight", "default 4950"}, {"io.weight", "8:0 1"}, {"io.max", "8:0 rbps=600"},
      {"io.max", "8:16 wiops=30"}}},
    {"hugepages", R"({"hugepageLimits": [{"pageSize": "2MB", "limit": 4194304}]})",
     {{"hugetlb.2MB.limit_in_bytes", "4194304"}},
     {{"hugetlb.2MB.max", "4194304"}}},
    {"rdma", R"({"rdma": {"mlx5_1": {"hcaHandles": 3}}})",
     {{"rdma.max", "mlx5_1 hca_handle=3 hca_object=max"}},
     {{"rdma.max", "mlx5_1 hca_handle=3 hca_object=max"}}},
    {"network is v1 only",
     R"({"network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 5}]}})",
     {{"net_cls.classid", "1048577"}, {"net_prio.ifpriomap", "eth0 5"}},
     {}},
    {"devices: deny all, then the rules in order (v1); eBPF on v2",
     R"({"devices": [{"allow": false, "access": "rwm"},
                     {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"},
                     {"allow": true, "type": "c", "major": 136, "access": "rw"},
                     {"allow": false, "type": "b", "major": 8, "minor": 0}]})",
     {{"devices.deny", "a *:* rwm"}, {"devices.deny", "a *:* rwm"},
      {"devices.allow", "c 1:3 rwm"}, {"devices.allow", "c 136:* rw"},
      {"devices.deny", "b 8:0 rwm"}},
     {}},
};

TEST(CgroupPlan, V1Table) {
  for (const auto& c : kCases) {
    absl::StatusOr<Plan> p = PlanV1Writes(FromJson(c.resources));
    ASSERT_TRUE(p.ok()) << c.name << ": " << p.status();
    EXPECT_EQ(*p, c.v1) << c.name;
  }
}

TEST(CgroupPlan, V2Table) {
  for (const auto& c : kCases) {
    absl::StatusOr<Plan> p = PlanV2Writes(FromJson(c.resources));
    ASSERT_TRUE(p.ok()) << c.name << ": " << p.status();
    EXPECT_EQ(*p, c.v2) << c.name;
  }
}

TEST(CgroupPlan, V1RealtimeAndOrder) {
  absl::StatusOr<Plan> p = PlanV1Writes(FromJson(
      R"({"cpu": {"realtimeRuntime": 950000, "realtimePeriod": 1000000, "burst": 5, "idle": 1}})"));
  ASSERT_TRUE(p.ok());
  Plan want = {{"cpu.cfs_burst_us", "5"}, {"cpu.rt_period_us", "1000000"},
               {"cpu.rt_runtime_us", "950000"}, {"cpu.idle", "1"}};
  EXPECT_EQ(*p, want);
}

TEST(CgroupPlan, UnifiedOverridesLastOnV2AndIsRefusedOnV1) {
  Resources r = FromJson(R"({"pids": {"limit": 5}, "unified": {"pids.max": "7",
                             "memory.high": "1000000"}})");
  absl::StatusOr<Plan> v2 = PlanV2Writes(r);
  ASSERT_TRUE(v2.ok());
  Plan want = {{"pids.max", "5"}, {"memory.high", "1000000"}, {"pids.max", "7"}};
  EXPECT_EQ(*v2, want);
  absl::StatusOr<Plan> v1 = PlanV1Writes(r);
  EXPECT_EQ(v1.status().code(), absl::StatusCode::kInvalidArgument);
  // A key can't escape the cgroup dir.
  EXPECT_FALSE(PlanV2Writes(FromJson(R"({"unified": {"../x": "1"}})")).ok());
  EXPECT_FALSE(PlanV2Writes(FromJson(R"({"unified": {"a/b": "1"}})")).ok());
}

TEST(CgroupPlan, Errors) {
  EXPECT_FALSE(PlanV1Writes(FromJson(R"({"memory": {"swappiness": 101}})")).ok());
  EXPECT_FALSE(PlanV2Writes(FromJson(R"({"cpu": {"realtimeRuntime": 5}})")).ok());
  absl::StatusOr<Plan> p = PlanV2Writes(FromJson(R"({"memory": {"swap": 100}})"));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(std::string(p.status().message()).find("without memory limit"), std::string::npos);
  EXPECT_FALSE(PlanV2Writes(FromJson(R"({"memory": {"limit": 200, "swap": 100}})")).ok());
}

TEST(CgroupPlan, Conversions) {
  EXPECT_EQ(CpuSharesToWeight(0), 0u);
  EXPECT_EQ(CpuSharesToWeight(2), 1u);
  EXPECT_EQ(CpuSharesToWeight(1024), 100u);
  EXPECT_EQ(CpuSharesToWeight(262144), 10000u);
  EXPECT_EQ(CpuSharesToWeight(1 << 20), 10000u);
  uint64_t prev = 0;
  for (uint64_t s = 2; s <= 262144; s *= 2) {  // monotonic
    EXPECT_GE(CpuSharesToWeight(s), prev) << s;
    prev = CpuSharesToWeight(s);
  }
  EXPECT_EQ(BlkioWeightToIoWeight(10), 1u);
  EXPECT_EQ(BlkioWeightToIoWeight(1000), 10000u);
  EXPECT_EQ(*SwapToV2(0, 100), 0);
  EXPECT_EQ(*SwapToV2(-1, 100), -1);
  EXPECT_EQ(*SwapToV2(0, -1), -1);
  EXPECT_EQ(*SwapToV2(300, 100), 200);
  EXPECT_EQ(ControllerOfFile("hugetlb.2MB.limit_in_bytes"), "hugetlb");
  EXPECT_EQ(ControllerOfFile("net_prio.ifpriomap"), "net_prio");
  EXPECT_EQ(DeviceRuleString(DeviceRule{true, "b", 8, -1, "m"}), "b 8:* m");
  EXPECT_EQ(DeviceRuleString(DeviceRule{}), "a *:* rwm");
}

}  // namespace
}  // namespace cricket::oci::cgroup
