// linux.resources JSON adapter: full round trip, "unset" vs 0, and errors
// that name the JSON path.
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "oci/cgroup/resources.h"

namespace cricket::oci::cgroup {
namespace {

const char* kFull = R"({
  "devices": [{"allow": false, "access": "rwm"},
              {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rw"}],
  "memory": {"limit": 536870912, "reservation": 0, "swap": 1073741824, "kernel": -1,
             "kernelTCP": 1000, "swappiness": 60, "disableOOMKiller": true,
             "useHierarchy": false, "checkBeforeUpdate": true},
  "cpu": {"shares": 1024, "quota": 50000, "burst": 1000, "period": 100000,
          "realtimeRuntime": 950000, "realtimePeriod": 1000000, "cpus": "0-1", "mems": "0",
          "idle": 0},
  "pids": {"limit": 32},
  "blockIO": {"weight": 500, "leafWeight": 300,
              "weightDevice": [{"major": 8, "minor": 0, "weight": 600}],
              "throttleReadBpsDevice": [{"major": 8, "minor": 0, "rate": 600}],
              "throttleWriteBpsDevice": [{"major": 8, "minor": 16, "rate": 700}],
              "throttleReadIOPSDevice": [{"major": 8, "minor": 0, "rate": 10}],
              "throttleWriteIOPSDevice": [{"major": 8, "minor": 0, "rate": 20}]},
  "hugepageLimits": [{"pageSize": "2MB", "limit": 209715200}],
  "network": {"classID": 1048577, "priorities": [{"name": "eth0", "priority": 500}]},
  "rdma": {"mlx5_1": {"hcaHandles": 3, "hcaObjects": 10000}},
  "unified": {"io.weight": "default 200"}
})";

TEST(CgroupResources, FullRoundTrip) {
  nlohmann::json in = nlohmann::json::parse(kFull);
  absl::StatusOr<Resources> r = ResourcesFromJson(in);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->devices.size(), 2u);
  EXPECT_FALSE(r->devices[0].type.has_value());
  EXPECT_EQ(*r->devices[1].major, 1);
  EXPECT_EQ(*r->memory->limit, 536870912);
  EXPECT_EQ(*r->memory->reservation, 0);  // set to 0, distinct from unset
  EXPECT_EQ(*r->memory->kernel, -1);
  EXPECT_TRUE(*r->memory->disable_oom_killer);
  EXPECT_EQ(*r->cpu->cpus, "0-1");
  EXPECT_EQ(*r->pids->limit, 32);
  EXPECT_EQ(r->block_io->throttle_write_bps_device[0].minor, 16);
  EXPECT_EQ(r->hugepage_limits[0].page_size, "2MB");
  EXPECT_EQ(r->network->priorities[0].name, "eth0");
  EXPECT_EQ(*r->rdma["mlx5_1"].hca_handles, 3u);
  EXPECT_EQ(r->unified["io.weight"], "default 200");
  EXPECT_EQ(ResourcesToJson(*r), in);
  absl::StatusOr<Resources> again = ResourcesFromJson(ResourcesToJson(*r));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *r);
}

TEST(CgroupResources, EmptyAndNull) {
  absl::StatusOr<Resources> r = ResourcesFromJson(nlohmann::json::object());
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, Resources{});
  EXPECT_EQ(ResourcesToJson(*r), nlohmann::json::object());
  EXPECT_TRUE(ResourcesFromJson(nlohmann::json()).ok());
  // Unset fields stay unset: memory present but without a limit.
  r = ResourcesFromJson(nlohmann::json::parse(R"({"memory": {"swap": 5}})"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->memory->limit.has_value());
  EXPECT_FALSE(r->cpu.has_value());
}

struct BadCase {
  const char* json;
  const char* message;
};

TEST(CgroupResources, ErrorsNameThePath) {
  const BadCase cases[] = {
      {R"({"memory": {"limit": "1G"}})", "linux.resources.memory.limit: must be an integer"},
      {R"({"memory": {"swappiness": -1}})", "linux.resources.memory.swappiness: must not be"},
      {R"({"memory": 5})", "linux.resources.memory: must be an object"},
      {R"({"cpu": {"cpus": 3}})", "linux.resources.cpu.cpus: must be a string"},
      {R"({"devices": [{"type": "c"}]})", "linux.resources.devices[0].allow: is required"},
      {R"({"devices": [{"allow": true, "type": "x"}]})", "linux.resources.devices[0].type"},
      {R"({"devices": [{"allow": true, "access": "rwx"}]})", "devices[0].access"},
      {R"({"devices": {}})", "linux.resources.devices: must be an array"},
      {R"({"blockIO": {"weight": 70000}})", "linux.resources.blockIO.weight: out of range"},
      {R"({"blockIO": {"throttleReadBpsDevice": [{"major": 8, "minor": 0}]}})",
       "linux.resources.blockIO.throttleReadBpsDevice[0].rate: is required"},
      {R"({"hugepageLimits": [{"limit": 1}]})", "linux.resources.hugepageLimits[0].pageSize"},
      {R"({"network": {"priorities": [{"name": "eth0"}]}})", "network.priorities[0].priority"},
      {R"({"unified": {"memory.max": 5}})", "linux.resources.unified.memory.max: must be a string"},
      {R"({"rdma": {"mlx": {"hcaHandles": true}}})", "linux.resources.rdma.mlx.hcaHandles"},
      {R"({"pids": {"limit": 1.5}})", "linux.resources.pids.limit: must be an integer"},
      {R"([])", "linux.resources: must be an object"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<Resources> r = ResourcesFromJson(nlohmann::json::parse(c.json));
    ASSERT_FALSE(r.ok()) << c.json;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << c.json;
    EXPECT_NE(std::string(r.status().message()).find(c.message), std::string::npos)
        << c.json << " → " << r.status();
  }
}

}  // namespace
}  // namespace cricket::oci::cgroup
