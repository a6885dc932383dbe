// A pod with a shared pid namespace (pid: POD) through cricketd: two containers
// see each other's processes under cricket-pause as PID 1, both live in the pod's
// cgroup parent, a kill -9 of cricketd keeps them all, a crash of the infra
// process turns the pod NotReady, and stop/remove leave no process, pin or cgroup.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/spawn_in_namespaces.h"
#include "tests/e2e/common/cri_e2e_fixture.h"
#include "tests/fixtures/busybox_registry.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/registry_fixture.h"

namespace cricket::testing {
namespace {

constexpr char kCg[] = "/sys/fs/cgroup";

class SharedPidCriTest : public CriE2eTest {
 protected:
  void SetUp() override {
    std::string pause = BuiltProgram("pod/cricket-pause");
    if (::access(pause.c_str(), X_OK) != 0) {
      if (InCI()) FAIL() << pause << " not built";
      GTEST_SKIP() << pause << " not built";
    }
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ServeBusybox();
    if (HasFatalFailure()) return;
    PullBusybox();
  }

  v1::RunPodSandboxRequest SharedPidPod(const std::string& name) {
    v1::RunPodSandboxRequest r = PodRequest(name);
    parent_ = absl::StrCat("/cricket-e2e-pid-", getpid(), "-", name);
    r.mutable_config()->mutable_linux()->set_cgroup_parent(parent_);
    r.mutable_config()->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::POD);
    return r;
  }

  std::string Container(const std::string& pod, const v1::RunPodSandboxRequest& pod_req,
                        const std::string& name, const std::string& sleep) {
    v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(pod);
    *create.mutable_sandbox_config() = pod_req.config();
    auto* cfg = create.mutable_config();
    cfg->mutable_metadata()->set_name(name);
    cfg->mutable_image()->set_image(image_);
    for (const char* a : {"sleep", sleep.c_str()}) cfg->add_command(a);
    cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::POD);
    auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
    EXPECT_TRUE(ctr.ok()) << ctr.status();
    if (!ctr.ok()) return "";
    v1::StartContainerRequest start;
    start.set_container_id(ctr->container_id());
    EXPECT_TRUE(Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer").ok());
    return ctr->container_id();
  }

  std::string Exec(const std::string& id, const std::string& script) {
    v1::ExecSyncRequest exec;
    exec.set_container_id(id);
    for (const char* a : {"sh", "-c", script.c_str()}) exec.add_cmd(a);
    exec.set_timeout(10);
    auto out = Call(&v1::RuntimeService::Stub::ExecSync, exec, "ExecSync");
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? out->stdout() : "";
  }

  // The infra process: the one task of the pod's own cgroup (<parent>/<pod id>).
  pid_t InfraPid(const std::string& pod) {
    std::string procs = sys::ReadFile(absl::StrCat(kCg, "/pids", parent_, "/", pod, "/cgroup.procs"))
                            .value_or("");
    return static_cast<pid_t>(std::atoi(procs.c_str()));
  }

  std::string parent_;
};

TEST_F(SharedPidCriTest, ContainersShareOnePidNamespaceUnderPauseAndCleanUp) {
  auto pod_req = SharedPidPod("shared");
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  std::string id = pod->pod_sandbox_id();
  std::string a = Container(id, pod_req, "a", "1001");
  std::string b = Container(id, pod_req, "b", "1002");
  ASSERT_FALSE(a.empty() || b.empty());

  // Each sees the other's process; PID 1 is cricket-pause.
  std::string ps = Exec(a, "ps -o pid,args");
  EXPECT_NE(ps.find("sleep 1002"), std::string::npos) << ps;
  EXPECT_NE(ps.find("sleep 1001"), std::string::npos) << ps;
  EXPECT_EQ(Exec(b, "cat /proc/1/comm"), "cricket-pause\n");
  EXPECT_NE(Exec(b, "ps -o pid,args").find("sleep 1001"), std::string::npos);

  // The cgroup parent holds both containers and the infra process.
  for (const std::string& c : {a, b, id}) {
    std::string procs = sys::ReadFile(absl::StrCat(kCg, "/memory", parent_, "/", c, "/cgroup.procs"))
                            .value_or("");
    EXPECT_FALSE(procs.empty()) << "no task in " << parent_ << "/" << c;
  }
  pid_t infra = InfraPid(id);
  ASSERT_GT(infra, 0);
  auto start = sys::ProcessStartTime(infra);
  ASSERT_TRUE(start.ok());

  // kill -9 of cricketd: the infra process and the containers stay.
  KillAndRestart();
  EXPECT_TRUE(sys::ProcessIsSame(infra, *start));
  EXPECT_EQ(PodStatus(id)->status().state(), v1::SANDBOX_READY);
  EXPECT_NE(Exec(a, "ps -o pid,args").find("sleep 1002"), std::string::npos);

  v1::StopPodSandboxRequest stop;
  stop.set_pod_sandbox_id(id);
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::StopPodSandbox, stop, "StopPodSandbox").ok());
  EXPECT_FALSE(sys::ProcessIsSame(infra, *start));
  ASSERT_TRUE(RemovePod(id).ok());
  EXPECT_FALSE(sys::PathExists(absl::StrCat(kCg, "/memory", parent_)));
  EXPECT_FALSE(sys::PathExists(absl::StrCat(kCg, "/pids", parent_)));
  std::string mounts = sys::ReadFile("/proc/self/mountinfo").value_or("");
  EXPECT_EQ(mounts.find(id), std::string::npos) << "a pin of pod " << id << " is left";
}

TEST_F(SharedPidCriTest, InfraCrashMakesPodNotReady) {
  auto pod_req = SharedPidPod("crash");
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  std::string id = pod->pod_sandbox_id();
  pid_t infra = InfraPid(id);
  ASSERT_GT(infra, 0);
  auto start = sys::ProcessStartTime(infra);
  ASSERT_TRUE(start.ok());
  EXPECT_EQ(PodStatus(id)->status().state(), v1::SANDBOX_READY);
  ASSERT_TRUE(sys::SignalProcessIfSame(infra, *start, SIGKILL, std::chrono::seconds(5)).ok());
  EXPECT_EQ(PodStatus(id)->status().state(), v1::SANDBOX_NOTREADY);
  ASSERT_TRUE(RemovePod(id).ok());
  EXPECT_FALSE(sys::PathExists(absl::StrCat(kCg, "/memory", parent_)));
}

// The infra process of a pod from a bare CRI config (no namespace options:
// pid POD, the enum's zero; no cgroup parent), as PodSandboxStatus reports it.
class BarePodInfraTest : public SharedPidCriTest {
 protected:
  void TearDown() override {
    // A failed test must not leave the infra process behind: end it by pid.
    for (const auto& [pid, start] : infras_) {
      if (sys::ProcessIsSame(pid, start)) {
        ADD_FAILURE() << "infra process " << pid << " is still running; killed";
        (void)sys::SignalProcessIfSame(pid, start, SIGKILL, std::chrono::seconds(5));
      }
    }
    SharedPidCriTest::TearDown();
  }

  // RunPodSandbox of a bare config; its infra pid and start time.
  std::string RunBarePod(const std::string& name, pid_t* pid) {
    v1::RunPodSandboxRequest r = PodRequest(name);
    r.mutable_config()->clear_linux();
    auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, r, "RunPodSandbox");
    EXPECT_TRUE(pod.ok()) << pod.status();
    if (!pod.ok()) return "";
    auto status = PodStatus(pod->pod_sandbox_id());
    EXPECT_TRUE(status.ok()) << status.status();
    auto info = nlohmann::json::parse(status.ok() ? status->info().at("info") : "{}", nullptr, false);
    *pid = info.is_object() ? info.value("pid", 0) : 0;
    EXPECT_GT(*pid, 0) << info.dump();
    auto start = sys::ProcessStartTime(*pid);
    EXPECT_TRUE(start.ok()) << start.status();
    if (start.ok()) infras_.emplace_back(*pid, *start);
    EXPECT_EQ(sys::ReadFile(absl::StrCat("/proc/", *pid, "/comm")).value_or(""), "cricket-pause\n");
    return pod->pod_sandbox_id();
  }

  absl::Status StopPod(const std::string& id) {
    v1::StopPodSandboxRequest stop;
    stop.set_pod_sandbox_id(id);
    return Call(&v1::RuntimeService::Stub::StopPodSandbox, stop, "StopPodSandbox").status();
  }

  // Gone: no /proc entry at all, so not a zombie either.
  void ExpectGone(pid_t pid, uint64_t start, const std::string& when) {
    for (int i = 0; i < 100 && sys::PathExists(absl::StrCat("/proc/", pid)); i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::string stat = sys::ReadFile(absl::StrCat("/proc/", pid, "/stat")).value_or("");
    auto now = sys::ProcessStartTime(pid);
    bool same = !stat.empty() && (!now.ok() || *now == start);  // a zombie has no start time here
    EXPECT_FALSE(same) << "infra process " << pid << " " << when << ": " << stat;
  }

  std::vector<std::pair<pid_t, uint64_t>> infras_;
};

TEST_F(BarePodInfraTest, StopAndRemoveEndTheInfraProcess) {
  pid_t pid = 0;
  std::string id = RunBarePod("bare", &pid);
  ASSERT_FALSE(id.empty());
  ASSERT_EQ(infras_.size(), 1u);
  ASSERT_TRUE(StopPod(id).ok());
  ExpectGone(pid, infras_[0].second, "after StopPodSandbox");
  ASSERT_TRUE(RemovePod(id).ok());
  ExpectGone(pid, infras_[0].second, "after RemovePodSandbox");
}

// cricketd as the reaper of what it detaches (PID 1 of a node container, or
// a subreaper): a stopped infra process comes back to it as a zombie, and
// stays one, one per pod ever removed, unless cricketd reaps it.
class ReapingDaemonInfraTest : public BarePodInfraTest {
 protected:
  void SetUp() override {
    daemon_subreaper_ = true;
    BarePodInfraTest::SetUp();
  }
};

TEST_F(ReapingDaemonInfraTest, StopAndRemoveLeaveNoZombie) {
  pid_t stopped = 0, removed = 0;
  std::string a = RunBarePod("reaped-stop", &stopped);
  std::string b = RunBarePod("reaped-rm", &removed);
  ASSERT_FALSE(a.empty() || b.empty());
  ASSERT_EQ(infras_.size(), 2u);
  ASSERT_TRUE(StopPod(a).ok());
  ExpectGone(stopped, infras_[0].second, "after StopPodSandbox");
  ASSERT_TRUE(RemovePod(a).ok());
  ASSERT_TRUE(RemovePod(b).ok());  // rmp without stopp
  ExpectGone(removed, infras_[1].second, "after RemovePodSandbox");
}

TEST_F(BarePodInfraTest, StopAndRemoveAfterADaemonRestart) {
  pid_t stopped = 0, removed = 0;
  std::string a = RunBarePod("bare-stop", &stopped);
  std::string b = RunBarePod("bare-rm", &removed);
  ASSERT_FALSE(a.empty() || b.empty());
  ASSERT_EQ(infras_.size(), 2u);
  KillAndRestart();
  ASSERT_TRUE(StopPod(a).ok());
  ASSERT_TRUE(RemovePod(a).ok());
  ExpectGone(stopped, infras_[0].second, "after stopp and rmp across a restart");
  ASSERT_TRUE(RemovePod(b).ok());  // rmp without stopp
  ExpectGone(removed, infras_[1].second, "after rmp across a restart");
}

}  // namespace
}  // namespace cricket::testing
