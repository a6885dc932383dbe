// Every cricket-oci verb on a real container: spec, create, start, state,
// list, ps, events, update, pause, resume, kill, delete, run, features.
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <iterator>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/integration/oci/cli_helpers.h"

namespace cricket::testing {
namespace {

using nlohmann::json;

std::string Cmdline(int pid) {
  std::ifstream in(absl::StrCat("/proc/", pid, "/cmdline"));
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

class LifecycleTest : public OciCliTest {
 protected:
  // Polls `state` until it reports `status` (or gives up after ~10s).
  bool WaitStatus(const std::string& id, const std::string& status) {
    for (int i = 0; i < 200; ++i) {
      json s = cli_->State(id);
      if (s.is_object() && s["status"] == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }
  std::string CgroupFile(const std::string& controller, const std::string& file) {
    auto text = sys::ReadFile("/sys/fs/cgroup/" + controller + cgroup_path_ + "/" + file);
    return text.ok() ? std::string(text->substr(0, text->find('\n'))) : "<missing>";
  }
  std::string cgroup_path_;
};

TEST_F(LifecycleTest, SpecWritesDefaultAndRefusesToOverwrite) {
  auto dir = sys::TempDir::Make("cricket-oci-spec-");
  ASSERT_TRUE(dir.ok());
  CliResult r = cli_->Run({"spec", "--bundle", dir->path()});
  ASSERT_EQ(r.code, 0) << r;
  auto text = sys::ReadFile(dir->Sub("config.json"));
  ASSERT_TRUE(text.ok());
  json cfg = json::parse(*text, nullptr, false);
  ASSERT_TRUE(cfg.is_object());
  EXPECT_EQ(cfg["process"]["args"], json({"sh"}));
  EXPECT_EQ(cfg["root"]["path"], "rootfs");
  r = cli_->Run({"spec", "--bundle", dir->path()});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("exists"), std::string::npos) << r;
  ASSERT_TRUE(sys::RemoveAll(dir->Sub("config.json")).ok());
  r = cli_->Run({"spec", "--rootless", "--bundle", dir->path()});
  ASSERT_EQ(r.code, 0) << r;
  cfg = json::parse(*sys::ReadFile(dir->Sub("config.json")), nullptr, false);
  bool userns = false;
  for (const auto& ns : cfg["linux"]["namespaces"]) userns |= ns["type"] == "user";
  EXPECT_TRUE(userns);
  EXPECT_EQ(cfg["linux"]["uidMappings"][0]["hostID"], getuid());
}

TEST_F(LifecycleTest, EveryVerbOnOneContainer) {
  std::string id = NewId("life");
  cgroup_path_ = "/cricket-oci-test/" + id;
  bundle_->config()["linux"]["cgroupsPath"] = cgroup_path_;
  bundle_->SetArgs({"sleep", "100"});
  ASSERT_TRUE(bundle_->Save().ok());
  std::string pid_file = bundle_->dir() + "/init.pid";
  CliResult r = cli_->Run({"create", "--bundle", bundle_->dir(), "--pid-file", pid_file, id});
  ASSERT_EQ(r.code, 0) << r;
  json st = cli_->State(id);
  ASSERT_TRUE(st.is_object());
  EXPECT_EQ(st["status"], "created");
  EXPECT_EQ(st["id"], id);
  EXPECT_EQ(st["bundle"], bundle_->dir());
  int pid = st["pid"];
  EXPECT_GT(pid, 0);
  EXPECT_EQ(*sys::ReadFile(pid_file), std::to_string(pid));
  EXPECT_TRUE(sys::PathExists(absl::StrCat("/proc/", pid))) << "init exists while created";

  r = cli_->Run({"list"});
  EXPECT_EQ(r.out.substr(0, 12), "ID          ") << r;
  EXPECT_NE(r.out.find(id), std::string::npos);
  r = cli_->Run({"list", "-q"});
  EXPECT_EQ(r.out, id + "\n");
  r = cli_->Run({"list", "--format", "json"});
  json list = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(list.is_array()) << r;
  EXPECT_EQ(list[0]["status"], "created");

  ASSERT_EQ(cli_->Run({"start", id}).code, 0);
  EXPECT_TRUE(WaitStatus(id, "running"));
  EXPECT_EQ(cli_->Run({"start", id}).code, 1) << "start twice";

  r = cli_->Run({"ps", "--format", "json", id});
  EXPECT_EQ(json::parse(r.out, nullptr, false), json({pid})) << r;
  r = cli_->Run({"ps", id});
  EXPECT_NE(r.out.find("PID"), std::string::npos) << r;
  EXPECT_NE(r.out.find("sleep 100"), std::string::npos) << r;

  r = cli_->Run({"events", "--stats", id});
  json ev = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(ev.is_object()) << r;
  EXPECT_EQ(ev["type"], "stats");
  EXPECT_EQ(ev["id"], id);
  EXPECT_EQ(ev["data"]["pids"]["current"], 1);

  r = cli_->Run({"update", "--pids-limit", "50", "--memory", "64m", id});
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(CgroupFile("pids", "pids.max"), "50");
  EXPECT_EQ(CgroupFile("memory", "memory.limit_in_bytes"), "67108864");
  r = cli_->Run({"update", "--resources", "-", id}, R"({"pids":{"limit":60}})");
  EXPECT_EQ(r.code, 0) << r;
  EXPECT_EQ(CgroupFile("pids", "pids.max"), "60");

  ASSERT_EQ(cli_->Run({"pause", id}).code, 0);
  EXPECT_EQ(cli_->State(id)["status"], "paused");
  EXPECT_EQ(CgroupFile("freezer", "freezer.state"), "FROZEN");
  ASSERT_EQ(cli_->Run({"resume", id}).code, 0);
  EXPECT_EQ(cli_->State(id)["status"], "running");

  r = cli_->Run({"delete", id});
  EXPECT_EQ(r.code, 1) << "delete of a running container needs -f";
  ASSERT_EQ(cli_->Run({"kill", id, "KILL"}).code, 0);
  EXPECT_TRUE(WaitStatus(id, "stopped"));
  EXPECT_EQ(cli_->State(id)["pid"], 0);
  EXPECT_EQ(cli_->Run({"kill", id}).code, 1) << "kill of a stopped container";
  ASSERT_EQ(cli_->Run({"delete", id}).code, 0);
  EXPECT_EQ(cli_->Run({"state", id}).code, 1);
  EXPECT_FALSE(sys::PathExists(cli_->root() + "/" + id));
  EXPECT_FALSE(sys::PathExists("/sys/fs/cgroup/pids" + cgroup_path_));
  EXPECT_EQ(cli_->Run({"list", "--format", "json"}).out, "null\n");
  auto controllers = sys::ListDir("/sys/fs/cgroup");
  for (const std::string& c : controllers.ok() ? *controllers : std::vector<std::string>{}) {
    (void)sys::RemoveDir("/sys/fs/cgroup/" + c + "/cricket-oci-test");
  }
}

TEST_F(LifecycleTest, RunReturnsTheExitCode) {
  bundle_->SetArgs({"/bin/cricket-checker", "exit", "0"});
  EXPECT_EQ(RunContainer(NewId("run")).code, 0);
  bundle_->SetArgs({"sh", "-c", "exit 3"});
  EXPECT_EQ(RunContainer(NewId("run")).code, 3);
  EXPECT_EQ(cli_->Run({"list", "-q"}).out, "") << "run deletes the container";
}

TEST_F(LifecycleTest, RunKilledBySigkillExits137) {
  std::string id = NewId("kill");
  bundle_->SetArgs({"sleep", "100"});
  ASSERT_TRUE(bundle_->Save().ok());
  auto child = cli_->Start({"run", "--bundle", bundle_->dir(), id}, bundle_->dir() + "/run.out");
  ASSERT_TRUE(child.ok()) << child.status();
  ASSERT_TRUE(WaitStatus(id, "running"));
  ASSERT_EQ(cli_->Run({"kill", id, "SIGKILL"}).code, 0);
  auto ex = child->Wait();
  ASSERT_TRUE(ex.ok());
  EXPECT_EQ(ex->code(), 137);
}

TEST_F(LifecycleTest, RunForwardsSignals) {
  std::string id = NewId("fwd");
  bundle_->SetArgs({"sh", "-c", "trap 'exit 42' TERM; while true; do sleep 0.1; done"});
  ASSERT_TRUE(bundle_->Save().ok());
  auto child = cli_->Start({"run", "--bundle", bundle_->dir(), id}, bundle_->dir() + "/run.out");
  ASSERT_TRUE(child.ok()) << child.status();
  ASSERT_TRUE(WaitStatus(id, "running"));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));  // let sh set its trap
  ASSERT_TRUE(child->Signal(SIGTERM).ok());
  auto ex = child->Wait();
  ASSERT_TRUE(ex.ok());
  EXPECT_EQ(ex->code(), 42);
}

// With no cgroup2 mount in sight (a pure v1 layout, the one crun accepts),
// init and exec'd processes join their v1 cgroups themselves through `tasks`
// rather than being added by the parent: they must land in the same place.
TEST_F(LifecycleTest, OnPureV1InitAndExecJoinTheirCgroupsThemselves) {
  if (!sys::PathExists("/sys/fs/cgroup/pids/tasks")) GTEST_SKIP() << "no cgroup v1 hierarchy here";
  auto dir = sys::TempDir::Make("cricket-v1-only-");
  ASSERT_TRUE(dir.ok()) << dir.status();
  const std::string wrapper = dir->Sub("cricket-oci");
  const std::string script = absl::StrCat(
      "#!/bin/sh\nexec unshare -m sh -c "
      "'umount /sys/fs/cgroup/unified 2>/dev/null; exec \"$0\" \"$@\"' ",
      CricketOciPath(), " \"$@\"\n");
  ASSERT_TRUE(sys::WriteFileAtomic(wrapper, script, 0755).ok());
  auto v1 = OciCli::Make(wrapper);
  ASSERT_TRUE(v1.ok()) << v1.status();
  std::string id = NewId("selfjoin");
  cgroup_path_ = "/cricket-oci-test/" + id;
  bundle_->config()["linux"]["cgroupsPath"] = cgroup_path_;
  bundle_->SetArgs({"sleep", "100"});
  ASSERT_TRUE(bundle_->Save().ok());
  CliResult r = v1->Run({"run", "-d", "--bundle", bundle_->dir(), id});
  ASSERT_EQ(r.code, 0) << r;
  r = v1->Run({"exec", "-d", "--pid-file", dir->Sub("exec.pid"), id, "sleep", "100"});
  ASSERT_EQ(r.code, 0) << r;
  auto exec_pid = sys::ReadFile(dir->Sub("exec.pid"));
  ASSERT_TRUE(exec_pid.ok()) << exec_pid.status();
  for (int pid : {v1->State(id)["pid"].get<int>(), std::stoi(*exec_pid)}) {
    auto text = sys::ReadFile(absl::StrCat("/proc/", pid, "/cgroup"));
    ASSERT_TRUE(text.ok()) << text.status();
    int v1_lines = 0;
    std::istringstream lines(*text);
    for (std::string line; std::getline(lines, line);) {
      size_t a = line.find(':'), b = line.find(':', a + 1);
      if (b == a + 1) continue;  // the v2 line: left as it was, hidden from this layout
      ++v1_lines;
      EXPECT_EQ(line.substr(b + 1), cgroup_path_) << "pid " << pid << ": " << line;
    }
    EXPECT_GT(v1_lines, 0) << *text;
  }
  ASSERT_EQ(v1->Run({"delete", "-f", id}).code, 0);
  EXPECT_FALSE(sys::PathExists("/sys/fs/cgroup/pids" + cgroup_path_));
  auto controllers = sys::ListDir("/sys/fs/cgroup");
  for (const std::string& c : controllers.ok() ? *controllers : std::vector<std::string>{}) {
    (void)sys::RemoveDir("/sys/fs/cgroup/" + c + "/cricket-oci-test");
  }
}

TEST_F(LifecycleTest, RunDetachedThenForceDelete) {
  std::string id = NewId("det");
  bundle_->SetArgs({"sleep", "100"});
  ASSERT_TRUE(bundle_->Save().ok());
  CliResult r = cli_->Run({"run", "-d", "--bundle", bundle_->dir(), id});
  ASSERT_EQ(r.code, 0) << r;
  json st = cli_->State(id);
  EXPECT_EQ(st["status"], "running");
  int pid = st["pid"];
  ASSERT_EQ(cli_->Run({"delete", "-f", id}).code, 0);
  EXPECT_EQ(cli_->Run({"state", id}).code, 1);
  EXPECT_NE(Cmdline(pid), std::string("sleep\0" "100\0", 10)) << "init alive after delete -f";
  EXPECT_EQ(cli_->Run({"delete", "-f", id}).code, 0) << "delete -f of a missing container is ok";
  EXPECT_EQ(cli_->Run({"delete", id}).code, 1);
}

TEST_F(LifecycleTest, EventsStreamUntilTheContainerStops) {
  std::string id = NewId("events");
  bundle_->SetArgs({"sleep", "1"});
  ASSERT_TRUE(bundle_->Save().ok());
  ASSERT_EQ(cli_->Run({"run", "-d", "--bundle", bundle_->dir(), id}).code, 0);
  CliResult r = cli_->Run({"events", "--interval", "200ms", id});
  EXPECT_EQ(r.code, 0) << r;
  size_t lines = 0;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line); ++lines) {
    json ev = json::parse(line, nullptr, false);
    EXPECT_EQ(ev["type"], "stats") << line;
  }
  EXPECT_GE(lines, 1u) << r;
}

TEST_F(LifecycleTest, ErrorsGoToTheLogFileAsJson) {
  std::string log = bundle_->dir() + "/oci.log";
  CliResult r = cli_->Run({"--log", log, "--log-format", "json", "state", "no-such-container"});
  EXPECT_EQ(r.code, 1);
  EXPECT_FALSE(r.err.empty());
  auto text = sys::ReadFile(log);
  ASSERT_TRUE(text.ok()) << text.status();
  json line = json::parse(*text, nullptr, false);
  ASSERT_TRUE(line.is_object()) << *text;
  EXPECT_EQ(line["level"], "error");
  // runc's words, which containerd reads back from this file.
  EXPECT_EQ(line["msg"], "container does not exist") << *text;
}

TEST_F(LifecycleTest, TerminalNeedsAConsoleSocketWhenDetached) {
  std::string id = NewId("tty");
  bundle_->config()["process"]["terminal"] = true;
  ASSERT_TRUE(bundle_->Save().ok());
  CliResult r = cli_->Run({"create", "--bundle", bundle_->dir(), id});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(cli_->Run({"list", "-q"}).out, "");
}

TEST_F(LifecycleTest, PreserveFdsPassesExtraFds) {
  std::string data = bundle_->dir() + "/passed.txt";
  ASSERT_TRUE(sys::WriteFileAtomic(data, "twelve bytes").ok());
  ASSERT_TRUE(bundle_->Save().ok());
  // A shell opens fd 3 and execs the runtime, as a supervisor passing a socket would.
  sys::SpawnOptions so;
  so.argv = {"/bin/sh", "-c",
             absl::StrCat("exec 3<", data, "; exec ", cli_->binary(), " --root ", cli_->root(),
                          " run --preserve-fds 1 --bundle ", bundle_->dir(), " ", NewId("fds"))};
  auto res = sys::RunCommand(so);
  ASSERT_TRUE(res.ok()) << res.status();
  ASSERT_EQ(res->exit.code(), 0) << res->err;
  json info = json::parse(res->out, nullptr, false);
  ASSERT_TRUE(info.is_object()) << res->out;
  EXPECT_EQ(info["fds"].size(), 4u) << info["fds"];
  EXPECT_TRUE(info["fds"].value("3", "").ends_with("/passed.txt")) << info["fds"];
}

TEST_F(LifecycleTest, FeaturesAndVersion) {
  CliResult r = cli_->Run({"features"});
  ASSERT_EQ(r.code, 0) << r;
  json f = json::parse(r.out, nullptr, false);
  ASSERT_TRUE(f.is_object()) << r;
  EXPECT_TRUE(f.contains("ociVersionMin"));
  EXPECT_TRUE(f.contains("ociVersionMax"));
  EXPECT_FALSE(f["linux"]["namespaces"].empty());
  EXPECT_TRUE(f["linux"]["seccomp"]["enabled"]);
  EXPECT_TRUE(f["linux"]["apparmor"]["enabled"]);  // the engine applies apparmorProfile
  EXPECT_FALSE(f["linux"]["selinux"]["enabled"]);  // it does not apply selinuxLabel
  r = cli_->Run({"--version"});
  EXPECT_EQ(r.code, 0);
  EXPECT_EQ(r.out.rfind("cricket-oci version", 0), 0u) << r;
  EXPECT_EQ(cli_->Run({"no-such-verb"}).code, 1);
}

}  // namespace
}  // namespace cricket::testing
