// cricket-oci run, observed from inside by cricket-checker: identity, caps,
// no_new_privs, rlimits, masked and read-only paths, hostname, env, cwd,
// mounts, seccomp, pid namespace.
#include <sys/capability.h>
#include <unistd.h>

#include <fstream>
#include <set>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/integration/oci/cli_helpers.h"

namespace cricket::testing {
namespace {

using nlohmann::json;

// The /proc/self/status mask ("00000000a80425fb") of a list of cap names.
uint64_t CapMask(const json& names) {
  uint64_t m = 0;
  for (const auto& n : names) {
    cap_value_t v;
    if (cap_from_name(n.get<std::string>().c_str(), &v) == 0) m |= uint64_t{1} << v;
  }
  return m;
}

uint64_t Hex(const json& s) { return std::stoull(s.get<std::string>(), nullptr, 16); }

const json* FindMount(const json& info, const std::string& point) {
  for (const auto& m : info["mounts"]) {
    if (m["mount_point"] == point) return &m;
  }
  return nullptr;
}

class CheckerTest : public OciCliTest {};

TEST_F(CheckerTest, DefaultSpecProcessView) {
  json info = RunChecker({});
  ASSERT_TRUE(info.is_object());
  const json& cfg = bundle_->config();
  EXPECT_EQ(info["pid"], 1) << "init of a new pid namespace";
  EXPECT_EQ(info["uid"], 0);
  EXPECT_EQ(info["gid"], 0);
  EXPECT_EQ(info["cwd"], "/");
  const json& caps = cfg["process"]["capabilities"];
  EXPECT_EQ(Hex(info["status"]["CapBnd"]), CapMask(caps["bounding"]));
  EXPECT_EQ(Hex(info["status"]["CapEff"]), CapMask(caps["effective"]));
  EXPECT_EQ(Hex(info["status"]["CapPrm"]), CapMask(caps["permitted"]));
  // The kernel raises an ambient cap only when it is also inheritable (runc
  // shows the same).
  EXPECT_EQ(Hex(info["status"]["CapAmb"]), CapMask(caps.value("ambient", json::array())) &
                                               CapMask(caps.value("inheritable", json::array())));
  EXPECT_EQ(Hex(info["status"]["CapInh"]), CapMask(caps.value("inheritable", json::array())));
  bool nnp = cfg["process"].value("noNewPrivileges", false);
  EXPECT_EQ(info["status"]["NoNewPrivs"], nnp ? "1" : "0");
  EXPECT_EQ(info["uts"]["hostname"], cfg.value("hostname", ""));
  for (const auto& e : cfg["process"]["env"]) {
    EXPECT_TRUE(std::find(info["env"].begin(), info["env"].end(), e) != info["env"].end()) << e;
  }
  for (const auto& rl : cfg["process"].value("rlimits", json::array())) {
    EXPECT_EQ(info["rlimits"][rl["type"].get<std::string>()]["soft"], rl["soft"]);
    EXPECT_EQ(info["rlimits"][rl["type"].get<std::string>()]["hard"], rl["hard"]);
  }
  // Only stdio is open: no fd of the runtime leaks in.
  EXPECT_EQ(info["fds"].size(), 3u) << info["fds"].dump();
  const json* proc = FindMount(info, "/proc");
  ASSERT_NE(proc, nullptr);
  EXPECT_EQ((*proc)["fstype"], "proc");
  const json* sys = FindMount(info, "/sys");
  ASSERT_NE(sys, nullptr);
  EXPECT_EQ((*sys)["options"].get<std::string>().substr(0, 2), "ro");
  const json* root = FindMount(info, "/");
  ASSERT_NE(root, nullptr);
  EXPECT_EQ((*root)["options"].get<std::string>().substr(0, 2), "ro") << "root.readonly";
  // New namespaces for everything the default spec lists.
  for (const char* ns : {"pid", "mnt", "net", "uts", "ipc"}) {
    std::string host(256, '\0');
    ssize_t n = readlink((std::string("/proc/self/ns/") + ns).c_str(), host.data(), host.size());
    host.resize(n > 0 ? static_cast<size_t>(n) : 0);
    EXPECT_NE(info["namespaces"][ns], host) << ns;
  }
}

TEST_F(CheckerTest, UserGroupsUmaskCwdEnv) {
  json& p = bundle_->config()["process"];
  p["user"] = {{"uid", 1000}, {"gid", 1000}, {"additionalGids", {2000}}, {"umask", 077}};
  p["cwd"] = "/home/tester";
  p["env"].push_back("CRICKET_TEST=yes it works");
  json info = RunChecker({});
  EXPECT_EQ(info["uid"], 1000);
  EXPECT_EQ(info["euid"], 1000);
  EXPECT_EQ(info["gid"], 1000);
  EXPECT_EQ(info["groups"], json({2000}));
  EXPECT_EQ(info["umask"], 077);
  EXPECT_EQ(info["cwd"], "/home/tester");
  const json& env = info["env"];
  EXPECT_TRUE(std::find(env.begin(), env.end(), "CRICKET_TEST=yes it works") != env.end());
  EXPECT_EQ(info["status"]["CapEff"], "0000000000000000") << "non-root loses effective caps";
}

TEST_F(CheckerTest, RlimitsOomScoreHostnameDomainname) {
  json& cfg = bundle_->config();
  cfg["process"]["rlimits"] = {{{"type", "RLIMIT_NOFILE"}, {"soft", 256}, {"hard", 512}},
                               {{"type", "RLIMIT_CORE"}, {"soft", 0}, {"hard", 0}}};
  cfg["process"]["oomScoreAdj"] = 500;
  cfg["hostname"] = "cricket-host";
  cfg["domainname"] = "cricket.example";
  json info = RunChecker({});
  EXPECT_EQ(info["rlimits"]["RLIMIT_NOFILE"], json({{"soft", 256}, {"hard", 512}}));
  EXPECT_EQ(info["rlimits"]["RLIMIT_CORE"], json({{"soft", 0}, {"hard", 0}}));
  EXPECT_EQ(info["oom_score_adj"], 500);
  EXPECT_EQ(info["uts"]["hostname"], "cricket-host");
  EXPECT_EQ(info["uts"]["domainname"], "cricket.example");
}

TEST_F(CheckerTest, MaskedPathsAreEmpty) {
  // The host's copies have content, so an empty read proves the mask.
  std::ifstream host("/proc/timer_list");
  std::string line;
  ASSERT_TRUE(std::getline(host, line)) << "host /proc/timer_list unreadable";
  json r = RunChecker({"read", "/proc/timer_list"});
  EXPECT_EQ(r["ok"], true) << r;
  EXPECT_EQ(r["bytes"], 0) << r;
  json l = RunChecker({"ls", "/sys/firmware"});
  EXPECT_EQ(l.value("entries", json::array()).size(), 0u) << l;
}

TEST_F(CheckerTest, ReadonlyPathsRefuseWrites) {
  json r = RunChecker({"write", "/proc/sys/kernel/domainname"});
  EXPECT_EQ(r["ok"], false) << r;
  EXPECT_EQ(r["error"], "EROFS") << r;
  json root = RunChecker({"write", "/root/x"});
  EXPECT_EQ(root["error"], "EROFS") << "root.readonly: " << root;
}

TEST_F(CheckerTest, TmpfsAndReadonlyBindMounts) {
  auto host_dir = sys::TempDir::Make("cricket-oci-bind-");
  ASSERT_TRUE(host_dir.ok());
  std::ofstream(host_dir->Sub("hello")) << "hello from the host\n";
  json& mounts = bundle_->config()["mounts"];
  mounts.push_back({{"destination", "/scratch"}, {"type", "tmpfs"}, {"source", "tmpfs"},
                    {"options", {"nosuid", "size=1m"}}});
  mounts.push_back({{"destination", "/data"}, {"type", "bind"}, {"source", host_dir->path()},
                    {"options", {"rbind", "ro"}}});
  json info = RunChecker({});
  const json* scratch = FindMount(info, "/scratch");
  ASSERT_NE(scratch, nullptr) << info["mounts"].dump();
  EXPECT_EQ((*scratch)["fstype"], "tmpfs");
  const json* data = FindMount(info, "/data");
  ASSERT_NE(data, nullptr);
  EXPECT_EQ((*data)["options"].get<std::string>().substr(0, 2), "ro");
  EXPECT_EQ(RunChecker({"write", "/scratch/x"})["ok"], true);
  EXPECT_EQ(RunChecker({"read", "/data/hello"})["bytes"], 20);
  EXPECT_EQ(RunChecker({"write", "/data/hello"})["error"], "EROFS");
}

TEST_F(CheckerTest, SeccompErrnoRet) {
  // Control: without the profile mkdir on /dev/shm (a tmpfs) works.
  EXPECT_EQ(RunChecker({"mkdir", "/dev/shm/d"})["ok"], true);
  bundle_->config()["linux"]["seccomp"] = {
      {"defaultAction", "SCMP_ACT_ALLOW"},
      {"architectures", {"SCMP_ARCH_X86_64", "SCMP_ARCH_X86"}},
      {"syscalls",
       {{{"names", {"mkdir", "mkdirat"}}, {"action", "SCMP_ACT_ERRNO"}, {"errnoRet", 1}}}}};
  json r = RunChecker({"mkdir", "/dev/shm/d"});
  EXPECT_EQ(r["ok"], false);
  EXPECT_EQ(r["error"], "EPERM") << r;
  EXPECT_EQ(RunChecker({})["status"]["Seccomp"], "2");
}

TEST_F(CheckerTest, CgroupsPathIsJoined) {
  std::string id = NewId("cg");
  std::string path = "/cricket-oci-test/" + id;
  bundle_->config()["linux"]["cgroupsPath"] = path;
  // Without a cgroup namespace the full path shows in /proc/self/cgroup.
  json& nss = bundle_->config()["linux"]["namespaces"];
  for (auto it = nss.begin(); it != nss.end();) {
    it = (*it)["type"] == "cgroup" ? nss.erase(it) : it + 1;
  }
  bundle_->SetArgs({"/bin/cricket-checker"});
  CliResult r = RunContainer(id);
  ASSERT_EQ(r.code, 0) << r;
  json info = json::parse(r.out, nullptr, false);
  bool found = false;
  for (const auto& line : info["cgroups"]) {
    std::string l = line.get<std::string>();
    if (l.find(":pids:") != std::string::npos) found = l.ends_with(path);
  }
  EXPECT_TRUE(found) << info["cgroups"].dump();
  EXPECT_FALSE(sys::PathExists("/sys/fs/cgroup/pids" + path)) << "cgroup left after run";
  auto controllers = sys::ListDir("/sys/fs/cgroup");
  for (const std::string& c : controllers.ok() ? *controllers : std::vector<std::string>{}) {
    (void)sys::RemoveDir("/sys/fs/cgroup/" + c + "/cricket-oci-test");
  }
}

}  // namespace
}  // namespace cricket::testing
