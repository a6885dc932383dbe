// The infra process of pods that share a pid namespace, on the real kernel:
// PID 1 of its own pid namespace in the pod's ipc/uts namespaces and cgroup,
// found again after a restart, a crash reported as NotReady, nothing left after
// remove, and a failure while starting it rolled back completely.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "network/network_manager.h"
#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/spawn_in_namespaces.h"
#include "oci/sys/temp_dir.h"
#include "pod/record_store.h"
#include "pod/sandbox_manager.h"
#include "tests/fixtures/leak_check.h"
#include "tests/fixtures/partners.h"

namespace cricket::pod {
namespace {

using cricket::testing::LeakCheck;
using runtime::v1::NamespaceMode;

constexpr char kCg[] = "/sys/fs/cgroup";

ino_t Inode(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0 ? st.st_ino : 0;
}

class InfraTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    pause_ = cricket::testing::BuiltProgram("pod/cricket-pause");
    if (::access(pause_.c_str(), X_OK) != 0) {
      if (cricket::testing::InCI()) FAIL() << pause_ << " not built";
      GTEST_SKIP() << pause_ << " not built";
    }
    auto dir = sys::TempDir::Make("cricket-infra-test-");
    ASSERT_TRUE(dir.ok());
    dir_ = std::move(*dir);
    parent_ = absl::StrCat("/cricket-infra-test-", getpid());
    leaks_ = std::make_unique<LeakCheck>(LeakCheck::Options{{dir_.path(), parent_}, true});
    Restart(pause_);
  }

  void Restart(const std::string& infra) {
    sandboxes_.reset();
    // Host-network pods only; still, the CNI dirs are the test's, not the host's.
    conf::Config::Cni cni;
    cni.conf_dir = dir_.Sub("cni/net.d");
    cni.cache_dir = dir_.Sub("cni/cache");
    network_ = std::make_unique<network::NetworkManager>(cni);
    records_ = std::make_unique<RecordStore>(dir_.Sub("root/records"));
    SandboxManager::Options o;
    o.paths = {dir_.Sub("root"), dir_.Sub("state")};
    o.shm_size_bytes = 1 << 20;
    o.infra_path = infra;
    sandboxes_ = std::make_unique<SandboxManager>(o, network_.get(), records_.get());
    ASSERT_TRUE(sandboxes_->Recover().ok());
  }

  void TearDown() override {
    if (sandboxes_) {
      for (const auto& sb : sandboxes_->List({})) EXPECT_TRUE(sandboxes_->Remove(PodId(sb.id)).ok());
    }
    sandboxes_.reset();
    if (leaks_) leaks_->ExpectNoLeaks();
  }

  runtime::v1::PodSandboxConfig Config(const std::string& name) {
    runtime::v1::PodSandboxConfig c;
    c.mutable_metadata()->set_name(name);
    c.mutable_metadata()->set_namespace_("default");
    c.mutable_metadata()->set_uid("uid-" + name);
    c.set_hostname(name);
    c.mutable_linux()->set_cgroup_parent(parent_ + "/pod-" + name);
    auto* ns = c.mutable_linux()->mutable_security_context()->mutable_namespace_options();
    ns->set_network(NamespaceMode::NODE);  // no CNI needed here
    ns->set_pid(NamespaceMode::POD);
    c.mutable_linux()->mutable_overhead()->set_memory_limit_in_bytes(1 << 20);
    return c;
  }

  std::string pause_, parent_;
  sys::TempDir dir_;
  std::unique_ptr<LeakCheck> leaks_;
  std::unique_ptr<network::NetworkManager> network_;
  std::unique_ptr<RecordStore> records_;
  std::unique_ptr<SandboxManager> sandboxes_;
};

TEST_F(InfraTest, Pid1InPodNamespacesAndCgroupRecoveredAndCleanedUp) {
  auto id = sandboxes_->Run(Config("a"), "");
  ASSERT_TRUE(id.ok()) << id.status();
  auto sb = sandboxes_->Get(*id);
  ASSERT_TRUE(sb.ok());
  ASSERT_GT(sb->infra_pid, 0);
  std::string proc = absl::StrCat("/proc/", sb->infra_pid);
  EXPECT_NE(sys::ReadFile(proc + "/status")->find("\nNSpid:\t" + std::to_string(sb->infra_pid) + "\t1\n"),
            std::string::npos);
  EXPECT_EQ(Inode(sb->pid_ns_path), Inode(proc + "/ns/pid"));
  EXPECT_EQ(Inode(sb->ipc_ns_path), Inode(proc + "/ns/ipc"));
  EXPECT_NE(Inode("/proc/self/ns/pid"), Inode(proc + "/ns/pid"));
  std::string cg = absl::StrCat(parent_, "/pod-a/", id->str());
  EXPECT_EQ(sb->infra_cgroups_path, cg);
  EXPECT_EQ(sys::ReadFile(absl::StrCat(kCg, "/cpu", cg, "/cpu.shares")).value_or(""), "2\n");
  EXPECT_NE(sys::ReadFile(absl::StrCat(kCg, "/pids", cg, "/cgroup.procs"))->find(
                std::to_string(sb->infra_pid)),
            std::string::npos);
  EXPECT_TRUE(sys::PathExists(absl::StrCat(kCg, "/memory", parent_)));
  EXPECT_TRUE(sb->InfraInfo().contains("overhead")) << sb->InfraInfo().dump();

  // A restart finds the same process (pid + start time) and keeps the pod Ready.
  Restart(pause_);
  auto again = sandboxes_->Get(*id);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->state(), SandboxState::kReady);
  EXPECT_EQ(again->infra_pid, sb->infra_pid);

  ASSERT_TRUE(sandboxes_->Stop(*id).ok());
  EXPECT_FALSE(sys::ProcessIsSame(sb->infra_pid, sb->infra_start_time));
  EXPECT_TRUE(sys::PathExists(sb->pid_ns_path));  // the pin goes at remove
  ASSERT_TRUE(sandboxes_->Remove(*id).ok());
  EXPECT_FALSE(sys::PathExists(sb->pid_ns_path));
  EXPECT_FALSE(sys::PathExists(absl::StrCat(kCg, "/memory", parent_)));
  EXPECT_FALSE(sys::PathExists(absl::StrCat(kCg, "/cpu", parent_)));
}

TEST_F(InfraTest, CrashOfInfraProcessIsReportedNotReady) {
  auto id = sandboxes_->Run(Config("b"), "");
  ASSERT_TRUE(id.ok()) << id.status();
  auto sb = sandboxes_->Get(*id);
  ASSERT_TRUE(sb.ok());
  // We started it (through the manager): kill it by pid as a crash would end it.
  ASSERT_TRUE(sys::SignalProcessIfSame(sb->infra_pid, sb->infra_start_time, SIGKILL,
                                       std::chrono::seconds(5)).ok());
  auto after = sandboxes_->Get(*id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->state(), SandboxState::kNotReady);
  EXPECT_NE(after->not_ready_reason.find("infra process"), std::string::npos);
  Restart(pause_);
  EXPECT_EQ(sandboxes_->Get(*id)->state(), SandboxState::kNotReady);
  ASSERT_TRUE(sandboxes_->Remove(*id).ok());
}

TEST_F(InfraTest, FailureWhileStartingInfraRollsBackEverything) {
  // /bin/true execs fine and exits at once: the pin of its pid namespace fails.
  Restart("/bin/true");
  auto id = sandboxes_->Run(Config("c"), "");
  ASSERT_FALSE(id.ok());
  EXPECT_NE(id.status().message().find("infra process"), absl::string_view::npos) << id.status();
  EXPECT_TRUE(sandboxes_->List({}).empty());
  EXPECT_TRUE(sys::ListDir(dir_.Sub("state/pods")).value_or(std::vector<std::string>{}).empty());
  EXPECT_FALSE(sys::PathExists(absl::StrCat(kCg, "/memory", parent_)));
  EXPECT_FALSE(sys::PathExists(absl::StrCat(kCg, "/pids", parent_)));
  // A missing program fails the same way, and a retry with the real one works.
  Restart(dir_.Sub("no-such-pause"));
  EXPECT_FALSE(sandboxes_->Run(Config("c"), "").ok());
  Restart(pause_);
  auto retry = sandboxes_->Run(Config("c"), "");
  ASSERT_TRUE(retry.ok()) << retry.status();
  ASSERT_TRUE(sandboxes_->Remove(*retry).ok());
}

}  // namespace
}  // namespace cricket::pod
