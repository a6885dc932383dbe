// The cgroup manager on this host for real (v1 hierarchies + the hybrid
// unified mount): create, limits read back from the kernel's files, a real
// process placed, frozen, thawed, counted, killed, and every dir removed.
// Each test works under its own parent "/cricket-test-<pid>-<n>", which the
// fixture destroys (tasks killed, dirs removed) even when a test fails.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "nlohmann/json.hpp"
#include "oci/cgroup/bpf_devices.h"
#include "oci/cgroup/cgroup_fs.h"
#include "oci/cgroup/detect.h"
#include "oci/cgroup/manager.h"
#include "oci/cgroup/systemd.h"
#include "oci/spec_json.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/partners.h"

namespace cricket::oci::cgroup {
namespace {

const char kRoot[] = "/sys/fs/cgroup";

std::string Read(const std::string& path) {
  absl::StatusOr<std::string> s = sys::ReadFile(path);
  return s.ok() ? std::string(absl::StripAsciiWhitespace(*s)) : "<" + s.status().ToString() + ">";
}

std::string ProcState(pid_t pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/status"));
  std::string line;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, "State:")) return std::string(absl::StripAsciiWhitespace(line.substr(6)));
  }
  return "";
}

// The task's state once it has settled into `prefix` (a thawed task runs
// briefly before it sleeps again), or its last state after two seconds.
std::string AwaitProcState(pid_t pid, const std::string& prefix) {
  std::string state;
  for (int i = 0; i < 200; i++) {
    state = ProcState(pid);
    if (absl::StartsWith(state, prefix)) break;
    usleep(10000);
  }
  return state;
}

class CgroupV1 : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    absl::StatusOr<CgroupMode> mode = DetectMode(kRoot);
    ASSERT_TRUE(mode.ok()) << mode.status();
    if (*mode == CgroupMode::kV2) GTEST_SKIP() << "host runs cgroup v2 only; this suite is v1";
    static int n = 0;
    parent_ = absl::StrCat("/cricket-test-", getpid(), "-", n++);
    auto pm = NewManager({parent_, "parent"});
    ASSERT_TRUE(pm.ok()) << pm.status();
    parent_mgr_ = std::move(*pm);
  }
  void TearDown() override {
    if (parent_mgr_) {
      EXPECT_TRUE(parent_mgr_->Destroy().ok());
      EXPECT_FALSE(sys::PathExists(absl::StrCat(kRoot, "/memory", parent_)));
      EXPECT_FALSE(sys::PathExists(absl::StrCat(kRoot, "/unified", parent_)));
    }
  }
  std::unique_ptr<Manager> Make(const std::string& name) {
    auto m = NewManager({parent_ + "/" + name, name});
    EXPECT_TRUE(m.ok()) << m.status();
    return m.ok() ? std::move(*m) : nullptr;
  }
  std::string Dir(const std::string& hierarchy, const std::string& name) {
    return absl::StrCat(kRoot, "/", hierarchy, parent_, "/", name);
  }
  static sys::ChildProcess Sleeper() {
    sys::SpawnOptions o;
    o.argv = {"sleep", "1000"};
    auto c = sys::ChildProcess::Spawn(o);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? std::move(*c) : sys::ChildProcess();
  }

  std::string parent_;
  std::unique_ptr<Manager> parent_mgr_;
};

Resources Limits() {
  auto r = ResourcesFromJson(nlohmann::json::parse(R"({
    "memory": {"limit": 67108864, "reservation": 33554432, "swappiness": 10},
    "cpu": {"shares": 512, "quota": 20000, "period": 100000, "cpus": "0"},
    "pids": {"limit": 16},
    "devices": [{"allow": false, "access": "rwm"},
                {"allow": true, "type": "c", "major": 1, "minor": 3, "access": "rwm"},
                {"allow": true, "type": "c", "major": 1, "minor": 5, "access": "r"}]})"));
  EXPECT_TRUE(r.ok()) << r.status();
  return r.value_or(Resources{});
}

TEST_F(CgroupV1, LifecycleWithRealProcess) {
  auto m = Make("c1");
  ASSERT_NE(m, nullptr);
  EXPECT_EQ(m->Path(), parent_ + "/c1");
  ASSERT_TRUE(m->Create().ok());
  for (const char* h : {"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids",
                        "systemd", "unified"}) {
    EXPECT_TRUE(sys::PathExists(Dir(h, "c1"))) << h;
  }
  // v1 cpuset: the new dirs inherited the parent's cpus/mems, or no task could join.
  EXPECT_EQ(Read(Dir("cpuset", "c1") + "/cpuset.cpus"), Read(std::string(kRoot) + "/cpuset/cpuset.cpus"));
  EXPECT_FALSE(Read(Dir("cpuset", "c1") + "/cpuset.mems").empty());

  absl::Status st = m->Set(Limits());
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_EQ(Read(Dir("memory", "c1") + "/memory.limit_in_bytes"), "67108864");
  EXPECT_EQ(Read(Dir("memory", "c1") + "/memory.soft_limit_in_bytes"), "33554432");
  EXPECT_EQ(Read(Dir("memory", "c1") + "/memory.swappiness"), "10");
  EXPECT_EQ(Read(Dir("cpu", "c1") + "/cpu.shares"), "512");
  EXPECT_EQ(Read(Dir("cpu", "c1") + "/cpu.cfs_quota_us"), "20000");
  EXPECT_EQ(Read(Dir("cpuset", "c1") + "/cpuset.cpus"), "0");
  EXPECT_EQ(Read(Dir("pids", "c1") + "/pids.max"), "16");
  EXPECT_EQ(Read(Dir("devices", "c1") + "/devices.list"), "c 1:3 rwm\nc 1:5 r");

  sys::ChildProcess child = Sleeper();
  ASSERT_GT(child.pid(), 0);
  ASSERT_TRUE(m->AddProcess(child.pid()).ok());
  std::string cg = Read(absl::StrCat("/proc/", child.pid(), "/cgroup"));
  for (const char* want : {":memory:", ":pids:", ":name=systemd:", "0::"}) {
    EXPECT_NE(cg.find(absl::StrCat(want, parent_, "/c1")), std::string::npos) << want << "\n" << cg;
  }
  absl::StatusOr<std::vector<pid_t>> pids = m->Pids();
  ASSERT_TRUE(pids.ok()) << pids.status();
  EXPECT_EQ(*pids, std::vector<pid_t>{child.pid()});

  ASSERT_TRUE(m->Freeze().ok());
  EXPECT_EQ(Read(Dir("freezer", "c1") + "/freezer.state"), "FROZEN");
  std::string frozen = AwaitProcState(child.pid(), "D");
  EXPECT_TRUE(absl::StartsWith(frozen, "D")) << frozen;
  ASSERT_TRUE(m->Thaw().ok());
  std::string thawed = AwaitProcState(child.pid(), "S");
  EXPECT_TRUE(absl::StartsWith(thawed, "S")) << thawed;

  absl::StatusOr<Stats> s = m->GetStats();
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->pids.current, 1u);
  EXPECT_EQ(s->pids.limit, 16u);
  EXPECT_EQ(s->memory.usage.limit, 67108864u);
  // No usage check: v1 does not move a task's existing charges with it.
  EXPECT_FALSE(s->memory.raw.empty());
  EXPECT_FALSE(s->cpu.usage.percpu.empty());
  EXPECT_FALSE(m->OomKilled());
  nlohmann::json j = StatsToJson(*s);
  EXPECT_EQ(j["pids"]["current"], 1);
  EXPECT_EQ(j["memory"]["usage"]["limit"], 67108864);

  ASSERT_TRUE(m->KillAll(SIGKILL).ok());
  absl::StatusOr<sys::ExitInfo> exit = child.Wait();
  ASSERT_TRUE(exit.ok());
  EXPECT_EQ(exit->signal(), SIGKILL);
  st = m->Destroy();
  ASSERT_TRUE(st.ok()) << st;
  for (const char* h : {"cpu", "memory", "devices", "freezer", "pids", "systemd", "unified"}) {
    EXPECT_FALSE(sys::PathExists(Dir(h, "c1"))) << h;
  }
  EXPECT_TRUE(m->Destroy().ok());  // idempotent
}

TEST_F(CgroupV1, DeviceRulesAreEnforced) {
  auto m = Make("dev");
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(m->Create().ok());
  ASSERT_TRUE(m->Set(Limits()).ok());
  auto tmp = sys::TempDir::Make("cgroup-dev-");
  ASSERT_TRUE(tmp.ok());
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  sys::UniqueFd rd(fds[0]), wr(fds[1]);
  sys::UniqueFd out(open(tmp->Sub("out").c_str(), O_CREAT | O_WRONLY | O_CLOEXEC, 0644));
  // The shell waits on stdin until it is in the cgroup, then tries the devices.
  sys::SpawnOptions o;
  o.argv = {"sh", "-c",
            "read x; echo hi > /dev/null && echo null-ok; "
            "head -c1 /dev/zero >/dev/null 2>&1 && echo zero-ok || echo zero-denied; "
            "head -c1 /dev/full >/dev/null 2>&1 && echo full-ok || echo full-denied"};
  o.stdin_fd = rd.get();
  o.stdout_fd = out.get();
  auto child = sys::ChildProcess::Spawn(o);
  ASSERT_TRUE(child.ok()) << child.status();
  rd.Reset();
  ASSERT_TRUE(m->AddProcess(child->pid()).ok());
  ASSERT_EQ(write(wr.get(), "go\n", 3), 3);
  wr.Reset();
  ASSERT_TRUE(child->Wait().ok());
  // /dev/null (1:3) rwm allowed, /dev/zero (1:5) read allowed, /dev/full (1:7) denied.
  EXPECT_EQ(Read(tmp->Sub("out")), "null-ok\nzero-ok\nfull-denied");
  ASSERT_TRUE(m->Destroy().ok());
}

TEST_F(CgroupV1, DestroyKillsLeftovers) {
  auto m = Make("leftover");
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(m->Create().ok());
  sys::ChildProcess a = Sleeper(), b = Sleeper();
  ASSERT_TRUE(m->AddProcess(a.pid()).ok());
  ASSERT_TRUE(m->AddProcess(b.pid()).ok());
  absl::Status st = m->Destroy();
  ASSERT_TRUE(st.ok()) << st;
  for (sys::ChildProcess* c : {&a, &b}) {
    absl::StatusOr<sys::ExitInfo> exit = c->Wait();
    ASSERT_TRUE(exit.ok());
    EXPECT_EQ(exit->signal(), SIGKILL);
  }
  for (const char* h : {"pids", "memory", "freezer", "systemd", "unified"}) {
    EXPECT_FALSE(sys::PathExists(Dir(h, "leftover"))) << h;
  }
}

TEST_F(CgroupV1, RaisingMemoryWithSwapOrdersTheWrites) {
  auto m = Make("mem");
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(m->Create().ok());
  if (!sys::PathExists(Dir("memory", "mem") + "/memory.memsw.limit_in_bytes")) {
    GTEST_SKIP() << "no swap accounting (memory.memsw.*) on this kernel";
  }
  Resources r;
  r.memory = Memory{};
  r.memory->limit = 32 << 20;
  r.memory->swap = 32 << 20;
  ASSERT_TRUE(m->Set(r).ok());
  // Raising both: memory.limit 128M would exceed memsw 32M unless memsw goes first.
  r.memory->limit = 128 << 20;
  r.memory->swap = 256 << 20;
  absl::Status st = m->Set(r);
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_EQ(Read(Dir("memory", "mem") + "/memory.limit_in_bytes"), absl::StrCat(128 << 20));
  EXPECT_EQ(Read(Dir("memory", "mem") + "/memory.memsw.limit_in_bytes"), absl::StrCat(256 << 20));
  // check_before_update refuses a limit below current usage: a shell that
  // holds ~1 MB of memory charged to this cgroup.
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0);
  sys::UniqueFd rd(fds[0]), wr(fds[1]);
  sys::SpawnOptions o;
  o.argv = {"sh", "-c", "read x; v=$(head -c 1000000 /dev/zero | tr '\\0' a); sleep 1000"};
  o.stdin_fd = rd.get();
  auto child = sys::ChildProcess::Spawn(o);
  ASSERT_TRUE(child.ok()) << child.status();
  ASSERT_TRUE(m->AddProcess(child->pid()).ok());
  ASSERT_EQ(write(wr.get(), "go\n", 3), 3);
  const std::string usage_file = Dir("memory", "mem") + "/memory.usage_in_bytes";
  for (int i = 0; i < 500 && std::stoull(Read(usage_file)) < 1000000; ++i) usleep(10000);
  ASSERT_GE(std::stoull(Read(usage_file)), 1000000u);
  r.memory->limit = 65536;
  r.memory->swap.reset();
  r.memory->check_before_update = true;
  st = m->Set(r);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition) << st;
  EXPECT_EQ(Read(Dir("memory", "mem") + "/memory.limit_in_bytes"), absl::StrCat(128 << 20));
  ASSERT_TRUE(m->Destroy().ok());
}

TEST_F(CgroupV1, RelativePathGoesUnderOwnCgroup) {
  const std::string id = absl::StrCat("cricket-rel-", getpid());
  auto m = NewManager({"", id});
  ASSERT_TRUE(m.ok()) << m.status();
  auto own = ParseProcCgroup(*sys::ReadFile("/proc/self/cgroup"));
  EXPECT_EQ((*m)->Path(), CleanPath(own["pids"] + "/" + id));
  ASSERT_TRUE((*m)->Create().ok());
  EXPECT_TRUE(sys::PathExists(std::string(kRoot) + "/memory" +
                              CleanPath(own["memory"] + "/" + id)));
  ASSERT_TRUE((*m)->Destroy().ok());
  EXPECT_FALSE(sys::PathExists(std::string(kRoot) + "/memory" +
                               CleanPath(own["memory"] + "/" + id)));
}

TEST_F(CgroupV1, UnknownControllerIsAClearError) {
  auto m = Make("huge");
  ASSERT_NE(m, nullptr);
  ASSERT_TRUE(m->Create().ok());
  if (sys::PathExists(std::string(kRoot) + "/hugetlb")) GTEST_SKIP() << "hugetlb is mounted here";
  Resources r;
  r.hugepage_limits.push_back({"2MB", 1 << 21});
  absl::Status st = m->Set(r);
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(std::string(st.message()).find("hugetlb controller is not mounted"), std::string::npos)
      << st;
  ASSERT_TRUE(m->Destroy().ok());
}

TEST(CgroupHost, SystemdDriverWithoutSystemd) {
  CRICKET_REQUIRE_ROOT();
  if (SystemdRunning()) GTEST_SKIP() << "systemd is running here";
  auto m = NewManager({"system.slice:cricket:x1", "x1", true});
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::string(m.status().message()),
            "systemd cgroup driver requested but systemd is not running");
}

TEST(CgroupHost, DeviceFilterPassesTheVerifier) {
  CRICKET_REQUIRE_ROOT();
  std::vector<DeviceRule> rules = {{false, std::nullopt, std::nullopt, std::nullopt, "rwm"},
                                   {true, "c", 1, 3, "rwm"},
                                   {true, "c", 136, -1, "rw"},
                                   {false, "b", 8, 0, "m"}};
  absl::StatusOr<std::vector<bpf_insn>> prog = DeviceFilterProgram(rules);
  ASSERT_TRUE(prog.ok());
  absl::StatusOr<sys::UniqueFd> fd = LoadDeviceFilter(*prog);
  ASSERT_TRUE(fd.ok()) << fd.status();
  EXPECT_TRUE(fd->valid());
}

}  // namespace
}  // namespace cricket::oci::cgroup
