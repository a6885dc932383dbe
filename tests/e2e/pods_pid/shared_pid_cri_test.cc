// A pod with a shared pid namespace (pid: POD) through cricketd: two containers
// see each other's processes under cricket-pause as PID 1, both live in the pod's
// cgroup parent, a kill -9 of cricketd keeps them all, a crash of the infra
// process turns the pod NotReady, and stop/remove leave no process, pin or cgroup.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
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

}  // namespace
}  // namespace cricket::testing
