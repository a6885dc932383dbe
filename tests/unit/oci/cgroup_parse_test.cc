// Pure cgroup helpers: file-format parsers, stats JSON, /proc/self/cgroup and
// mountinfo parsing, cgroupsPath resolution, systemd slice expansion.
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "oci/cgroup/cgroup_fs.h"
#include "oci/cgroup/detect.h"
#include "oci/cgroup/sd_bus.h"
#include "oci/cgroup/stats_parse.h"
#include "oci/cgroup/systemd.h"

namespace cricket::oci::cgroup {
namespace {

TEST(CgroupParse, Numbers) {
  EXPECT_EQ(*ParseUint("123\n"), 123u);
  EXPECT_EQ(*ParseUint("max\n"), kMaxValue);
  EXPECT_EQ(*ParseUint("-1\n"), kMaxValue);
  EXPECT_FALSE(ParseUint("abc").ok());
  EXPECT_EQ(*ParseUintList("1 2 3 \n"), (std::vector<uint64_t>{1, 2, 3}));
  EXPECT_FALSE(ParseUintList("1 x").ok());
}

TEST(CgroupParse, FlatKeyed) {
  auto m = ParseFlatKeyed("cache 4096\nrss 8192\ntotal_inactive_file 0\n");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->at("rss"), 8192u);
  EXPECT_EQ(m->size(), 3u);
  EXPECT_FALSE(ParseFlatKeyed("cache\n").ok());
  EXPECT_FALSE(ParseFlatKeyed("cache x\n").ok());
}

TEST(CgroupParse, BlkioV1) {
  auto e = ParseBlkioV1("8:0 Read 4096\n8:0 Write 512\n8:0 Total 4608\nTotal 4608\n");
  ASSERT_TRUE(e.ok()) << e.status();
  ASSERT_EQ(e->size(), 3u);
  EXPECT_EQ((*e)[1].op, "Write");
  EXPECT_EQ((*e)[1].value, 512u);
  EXPECT_EQ((*e)[0].major, 8u);
  EXPECT_FALSE(ParseBlkioV1("8 Read 4\n").ok());
}

TEST(CgroupParse, IoStatV2) {
  auto b = ParseIoStatV2("8:16 rbytes=1024 wbytes=2048 rios=3 wios=4 dbytes=0 dios=0 cost.x=5\n");
  ASSERT_TRUE(b.ok()) << b.status();
  ASSERT_EQ(b->io_service_bytes_recursive.size(), 3u);
  EXPECT_EQ(b->io_service_bytes_recursive[1].op, "Write");
  EXPECT_EQ(b->io_service_bytes_recursive[1].value, 2048u);
  EXPECT_EQ(b->io_serviced_recursive[0].minor, 16u);
  EXPECT_EQ(b->io_serviced_recursive[0].value, 3u);
}

TEST(CgroupParse, HugePageNames) {
  EXPECT_EQ(HugePageSizeName(2 << 20), "2MB");
  EXPECT_EQ(HugePageSizeName(1ULL << 30), "1GB");
  EXPECT_EQ(HugePageSizeName(64 << 10), "64KB");
}

TEST(CgroupParse, StatsJsonIsRuncShaped) {
  Stats s;
  s.cpu.usage.total = 10;
  s.cpu.usage.percpu = {4, 6};
  s.memory.usage = {100, 50, 60, 0};
  s.memory.raw = {{"rss", 7}};
  s.pids = {3, 0};
  s.hugetlb["2MB"] = {0, 0, 1};
  s.blkio.io_service_bytes_recursive.push_back({8, 0, "Read", 5});
  nlohmann::json j = StatsToJson(s);
  EXPECT_EQ(j["cpu"]["usage"]["total"], 10);
  EXPECT_EQ(j["cpu"]["usage"]["percpu"], nlohmann::json({4, 6}));
  EXPECT_EQ(j["cpu"]["usage"]["kernel"], 0);  // runc: no omitempty on kernel/user
  EXPECT_FALSE(j["cpu"]["throttling"].contains("periods"));
  EXPECT_EQ(j["memory"]["usage"]["limit"], 100);
  EXPECT_EQ(j["memory"]["usage"]["failcnt"], 0);
  EXPECT_EQ(j["memory"]["raw"]["rss"], 7);
  EXPECT_EQ(j["pids"], nlohmann::json({{"current", 3}}));
  EXPECT_EQ(j["hugetlb"]["2MB"], nlohmann::json({{"failcnt", 1}}));
  EXPECT_EQ(j["blkio"]["ioServiceBytesRecursive"][0]["op"], "Read");
}

TEST(CgroupParse, ProcCgroup) {
  auto m = ParseProcCgroup("9:name=systemd:/\n4:memory:/a/b\n2:cpu,cpuacct:/c\n0::/user.slice\n");
  EXPECT_EQ(m["name=systemd"], "/");
  EXPECT_EQ(m["memory"], "/a/b");
  EXPECT_EQ(m["cpu"], "/c");
  EXPECT_EQ(m["cpuacct"], "/c");
  EXPECT_EQ(m[""], "/user.slice");
}

TEST(CgroupParse, Mountinfo) {
  const std::string mi =
      "30 25 0:26 / /sys/fs/cgroup rw - tmpfs tmpfs rw,mode=755\n"
      "31 30 0:27 / /sys/fs/cgroup/cpu,cpuacct rw,relatime shared:9 - cgroup cgroup rw,cpu,cpuacct\n"
      "32 30 0:28 / /sys/fs/cgroup/systemd rw - cgroup cgroup rw,xattr,name=systemd\n"
      "33 30 0:29 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw,nsdelegate\n"
      "34 25 0:30 / /other/memory rw - cgroup cgroup rw,memory\n";
  auto m = ParseCgroupMounts(mi, "/sys/fs/cgroup");
  EXPECT_EQ(m.size(), 3u);
  EXPECT_EQ(m["cpu"], "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(m["cpuacct"], "/sys/fs/cgroup/cpu,cpuacct");
  EXPECT_EQ(m["name=systemd"], "/sys/fs/cgroup/systemd");
  EXPECT_EQ(m.count("memory"), 0u);
}

TEST(CgroupParse, CgroupsPathRules) {
  EXPECT_EQ(CleanPath("/a/./b/../c/"), "/a/c");
  EXPECT_EQ(CleanPath("/../.."), "/");
  EXPECT_EQ(ResolveCgroupPath("/kube/pod1/c1", "c1", "/own"), "/kube/pod1/c1");
  EXPECT_EQ(ResolveCgroupPath("/a/../../etc", "c1", "/own"), "/etc");
  EXPECT_EQ(ResolveCgroupPath("", "c1", "/own"), "/own/c1");
  EXPECT_EQ(ResolveCgroupPath("", "c1", "/"), "/c1");
  EXPECT_EQ(ResolveCgroupPath("pods/c1", "c1", "/own/x"), "/own/x/pods/c1");
  EXPECT_EQ(ResolveCgroupPath("../../x", "c1", "/own"), "/own/x");  // cannot climb out
}

TEST(CgroupSystemd, ExpandSlice) {
  EXPECT_EQ(*ExpandSlice("system.slice"), "/system.slice");
  EXPECT_EQ(*ExpandSlice("a-b-c.slice"), "/a.slice/a-b.slice/a-b-c.slice");
  EXPECT_EQ(*ExpandSlice("-.slice"), "/");
  for (const char* bad : {"a--b.slice", "-a.slice", "a-.slice", "x/y.slice", ".slice", "foo",
                          "foo.scope"}) {
    EXPECT_EQ(ExpandSlice(bad).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(CgroupSystemd, CgroupsPath) {
  auto u = ParseSystemdCgroupsPath("kubepods-besteffort.slice:cri-o:abc", "abc");
  ASSERT_TRUE(u.ok()) << u.status();
  EXPECT_EQ(u->unit, "cri-o-abc.scope");
  EXPECT_EQ(u->path, "/kubepods.slice/kubepods-besteffort.slice/cri-o-abc.scope");
  u = ParseSystemdCgroupsPath("", "c1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->slice, "system.slice");
  EXPECT_EQ(u->path, "/system.slice/cricket-c1.scope");
  u = ParseSystemdCgroupsPath(":p:n", "c1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->path, "/system.slice/p-n.scope");
  u = ParseSystemdCgroupsPath("-.slice:p:n", "c1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->path, "/p-n.scope");
  u = ParseSystemdCgroupsPath("a.slice::n.slice", "c1");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->unit, "n.slice");
  EXPECT_EQ(ParseSystemdCgroupsPath("/abs/path", "c1").status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseSystemdCgroupsPath("bad:p:n", "c1").ok());
}

// libsystemd is loaded, not linked: every call the driver makes must resolve
// (libsystemd0 is there wherever libsystemd-dev built us).
// The limits a scope carries as properties, so that a daemon-reload (which
// rewrites the files from them) keeps them; values as runc sends them.
TEST(CgroupSystemd, ResourceProperties) {
  using Props = std::vector<std::pair<std::string, uint64_t>>;
  const uint64_t inf = ~uint64_t{0};
  Resources r;
  r.memory = Memory{.limit = 64 << 20, .swap = 96 << 20};
  r.cpu = Cpu{.shares = 512, .quota = 25000, .period = 100000};
  r.pids = Pids{.limit = 99};
  EXPECT_EQ(SystemdResourceProperties(r),
            (Props{{"MemoryMax", 64 << 20}, {"MemorySwapMax", 32 << 20}, {"CPUWeight", 59},
                   {"CPUQuotaPerSecUSec", 250000}, {"CPUQuotaPeriodUSec", 100000},
                   {"TasksMax", 99}}));
  // systemd keeps the quota in 10 ms steps a second: rounded up.
  Resources odd;
  odd.cpu = Cpu{.quota = 12345, .period = 100000};
  EXPECT_EQ(SystemdResourceProperties(odd),
            (Props{{"CPUQuotaPerSecUSec", 130000}, {"CPUQuotaPeriodUSec", 100000}}));
  Resources unlimited;
  unlimited.memory = Memory{.limit = -1};
  unlimited.cpu = Cpu{.quota = -1};
  unlimited.pids = Pids{.limit = 0};
  EXPECT_EQ(SystemdResourceProperties(unlimited),
            (Props{{"MemoryMax", inf}, {"CPUQuotaPerSecUSec", inf}, {"TasksMax", inf}}));
  EXPECT_TRUE(SystemdResourceProperties(Resources{}).empty());
}

// systemd rewrites cpuset.cpus/mems from AllowedCPUs/AllowedMemoryNodes
// (found "" in the VM lane when only the files were written).
TEST(CgroupSystemd, CpusetBecomesByteMasks) {
  Resources r;
  r.cpu.emplace();
  r.cpu->cpus = "0-2,9";
  r.cpu->mems = "0";
  auto p = SystemdCpusetProperties(r);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p, (ByteMaskProperties{{"AllowedCPUs", {0x07, 0x02}}, {"AllowedMemoryNodes", {0x01}}}));
  r.cpu->cpus = "";
  r.cpu->mems.reset();
  EXPECT_EQ(*SystemdCpusetProperties(r), (ByteMaskProperties{{"AllowedCPUs", {}}}));
  EXPECT_TRUE(SystemdCpusetProperties(Resources{})->empty());
  for (const char* bad : {"3-1", "a", "1,,x", "0-99999"}) {
    r.cpu->cpus = bad;
    EXPECT_EQ(SystemdCpusetProperties(r).status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

TEST(CgroupSystemd, SdBusLoadsEverySymbol) {
  absl::StatusOr<const SdBus*> sd = LoadSdBus();
  ASSERT_TRUE(sd.ok()) << sd.status();
  const SdBus& b = **sd;
  for (const void* fn : {reinterpret_cast<const void*>(b.open_system),
                         reinterpret_cast<const void*>(b.flush_close_unref),
                         reinterpret_cast<const void*>(b.message_new_method_call),
                         reinterpret_cast<const void*>(b.message_unref),
                         reinterpret_cast<const void*>(b.message_append),
                         reinterpret_cast<const void*>(b.message_open_container),
                         reinterpret_cast<const void*>(b.message_close_container),
                         reinterpret_cast<const void*>(b.call),
                         reinterpret_cast<const void*>(b.error_free)}) {
    EXPECT_NE(fn, nullptr);
  }
  EXPECT_EQ(LoadSdBus().value(), *sd);  // loaded once
}

}  // namespace
}  // namespace cricket::oci::cgroup
