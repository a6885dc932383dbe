// The OCI engine driven in-process against the real kernel: create, start,
// state, kill, exec, delete of busybox containers, and rollback of a failed
// create. Every test removes its containers, cgroups and temp dirs.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "tests/integration/oci/engine_helpers.h"

namespace cricket::oci {
namespace {

TEST_F(EngineTest, CreateStartStateExitDelete) {
  auto pid = Create("c1", BaseSpec({"sh", "-c", "echo hello from $(hostname); exit 3"}));
  ASSERT_TRUE(pid.ok()) << pid.status();
  auto st = rt_->State("c1");
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_EQ(st->status, "created");
  EXPECT_EQ(st->pid, *pid);
  EXPECT_EQ(st->bundle, bundle_);
  ASSERT_TRUE(rt_->Start("c1").ok());
  EXPECT_EQ(WaitExit(*pid), 3);
  st = rt_->State("c1");
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->status, "stopped");
  EXPECT_EQ(Output(), "hello from enginetest\n");
  ASSERT_TRUE(rt_->Delete("c1", false).ok());
  EXPECT_FALSE(sys::PathExists(tmp_->Sub("state/c1")));
  EXPECT_TRUE(absl::IsNotFound(rt_->State("c1").status()));
}

TEST_F(EngineTest, StartTwiceFailsAndDuplicateIdRefused) {
  auto pid = Create("dup", BaseSpec({"true"}));
  ASSERT_TRUE(pid.ok()) << pid.status();
  EXPECT_TRUE(absl::IsAlreadyExists(Create("dup", BaseSpec({"true"})).status()));
  ASSERT_TRUE(rt_->Start("dup").ok());
  WaitExit(*pid);
  EXPECT_FALSE(rt_->Start("dup").ok());
}

TEST_F(EngineTest, KillRunningAndDeleteRefusedWhileRunning) {
  auto pid = Create("k", BaseSpec({"sleep", "1000"}));
  ASSERT_TRUE(pid.ok()) << pid.status();
  ASSERT_TRUE(rt_->Start("k").ok());
  EXPECT_EQ(rt_->State("k")->status, "running");
  EXPECT_TRUE(absl::IsFailedPrecondition(rt_->Delete("k", false)));
  auto pids = rt_->Pids("k");
  ASSERT_TRUE(pids.ok()) << pids.status();
  EXPECT_EQ(*pids, std::vector<pid_t>{*pid});
  ASSERT_TRUE(rt_->Kill("k", SIGKILL, false).ok());
  EXPECT_EQ(WaitExit(*pid), 128 + SIGKILL);
  ASSERT_TRUE(rt_->Delete("k", false).ok());
}

TEST_F(EngineTest, FailedCreateLeavesNothingBehind) {
  Spec s = BaseSpec({"/no/such/binary"});
  std::string cg = "/sys/fs/cgroup/pids" + s.linux_spec->cgroups_path;
  auto pid = Create("bad", s);
  ASSERT_FALSE(pid.ok());
  EXPECT_NE(std::string(pid.status().message()).find("/no/such/binary"), std::string::npos)
      << pid.status();
  EXPECT_FALSE(sys::PathExists(tmp_->Sub("state/bad")));
  EXPECT_FALSE(sys::PathExists(cg));
  int status;
  EXPECT_EQ(waitpid(-1, &status, WNOHANG), -1);  // no child left, reaped or not
}

TEST_F(EngineTest, MaskedReadonlyPathsDevicesAndNamespaces) {
  Spec s = BaseSpec({"sh", "-c",
                     "echo x > /proc/sys/kernel/domainname && echo WRITABLE; "
                     "wc -c < /proc/keys; ls /proc/acpi | wc -l; "
                     "test -c /dev/null && test -c /dev/urandom && test -L /dev/ptmx && echo DEV; "
                     "echo $$; ls /sys/fs/cgroup/memory/tasks"});
  int code = -1;
  std::string out = RunToEnd("m", s, &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(out.find("WRITABLE"), std::string::npos) << out;
  EXPECT_NE(out.find("\n0\n0\nDEV\n1\n/sys/fs/cgroup/memory/tasks\n"), std::string::npos) << out;
}

TEST_F(EngineTest, ReadonlyRootAndUser) {
  Spec s =
      BaseSpec({"sh", "-c", "touch /x 2>/dev/null || echo RO; id -u; id -g; id -G; echo $HOME"});
  s.root.readonly = true;
  s.process->user.uid = 1000;
  s.process->user.gid = 1000;
  s.process->user.additional_gids = {2000};
  int code = -1;
  std::string out = RunToEnd("ro", s, &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_EQ(out, "RO\n1000\n1000\n1000 2000\n/home/tester\n");
}

TEST_F(EngineTest, UserNamespaceWithMappings) {
  Spec s = BaseSpec({"sh", "-c", "id -u; cat /proc/self/uid_map"});
  s.linux_spec->namespaces.push_back({"user", ""});
  s.linux_spec->uid_mappings = {{0, 200000, 65536}};
  s.linux_spec->gid_mappings = {{0, 200000, 65536}};
  // gid=5 (tty) is mapped here; sysfs needs the netns we have.
  int code = -1;
  std::string out = RunToEnd("u", s, &code);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("0\n         0     200000      65536"), std::string::npos) << out;
}

TEST_F(EngineTest, ExecJoinsTheContainer) {
  auto pid = Create("e", BaseSpec({"sleep", "1000"}));
  ASSERT_TRUE(pid.ok()) << pid.status();
  ASSERT_TRUE(rt_->Start("e").ok());
  int out = open(out_path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  ExecOptions eo;
  eo.args = {"sh", "-c", "hostname; echo $$; cat /proc/1/cmdline | tr '\\0' ' '"};
  eo.stdout_fd = out;
  eo.stderr_fd = out;
  auto epid = rt_->Exec("e", eo);
  close(out);
  ASSERT_TRUE(epid.ok()) << epid.status();
  EXPECT_EQ(WaitExit(*epid), 0);
  std::string o = Output();
  EXPECT_EQ(o.substr(0, o.find('\n')), "enginetest") << o;
  EXPECT_NE(o.find("sleep 1000"), std::string::npos) << o;
  eo.args = {"/missing"};
  EXPECT_FALSE(rt_->Exec("e", eo).ok());
  ASSERT_TRUE(rt_->Delete("e", true).ok());
  WaitExit(*pid);
}

TEST_F(EngineTest, SymlinkedMountDestinationStaysInsideRootfs) {
  auto host = sys::TempDir::Make("cricket-engine-host-");
  ASSERT_TRUE(host.ok());
  ASSERT_EQ(symlink(host->path().c_str(), (bundle_ + "/rootfs/evil").c_str()), 0);
  Spec s =
      BaseSpec({"sh", "-c", "grep -c ' /evil/x\\| " + host->path() + "/x' /proc/self/mountinfo"});
  s.mounts.push_back({"/evil/x", "tmpfs", "tmpfs", {"size=1m"}});
  int code = -1;
  std::string out = RunToEnd("sl", s, &code);
  EXPECT_EQ(code, 0) << out;
  // The tmpfs landed inside the rootfs (rootfs/<host path>/x), not on the host.
  EXPECT_FALSE(sys::PathExists(host->path() + "/x"));
  EXPECT_TRUE(sys::PathExists(bundle_ + "/rootfs" + host->path() + "/x"));
}

// state.json is written without fsync (it only describes processes of this
// boot): a machine crash may leave it empty. Readers report it, List skips
// it, and only delete with force clears it.
TEST_F(EngineTest, ForceDeleteClearsAStateLeftEmptyByACrash) {
  ASSERT_TRUE(sys::MkdirAll(tmp_->Sub("state/torn"), 0711).ok());
  ASSERT_TRUE(sys::WriteFileAtomic(tmp_->Sub("state/torn/state.json"), "", 0600).ok());
  EXPECT_TRUE(absl::IsDataLoss(rt_->State("torn").status()));
  auto list = rt_->List();
  ASSERT_TRUE(list.ok()) << list.status();
  EXPECT_TRUE(list->empty());
  EXPECT_TRUE(absl::IsDataLoss(rt_->Delete("torn", false)));
  ASSERT_TRUE(rt_->Delete("torn", true).ok());
  EXPECT_FALSE(sys::PathExists(tmp_->Sub("state/torn")));
}

TEST_F(EngineTest, PauseResume) {
  auto pid = Create("p", BaseSpec({"sleep", "1000"}));
  ASSERT_TRUE(pid.ok()) << pid.status();
  ASSERT_TRUE(rt_->Start("p").ok());
  ASSERT_TRUE(rt_->Pause("p").ok());
  EXPECT_EQ(rt_->State("p")->status, "paused");
  ASSERT_TRUE(rt_->Resume("p").ok());
  EXPECT_EQ(rt_->State("p")->status, "running");
  ASSERT_TRUE(rt_->Delete("p", true).ok());
  WaitExit(*pid);
}

}  // namespace
}  // namespace cricket::oci
