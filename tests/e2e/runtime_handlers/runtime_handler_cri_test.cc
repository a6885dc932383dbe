// RuntimeClass handlers over the real CRI socket: Debian's runc and crun
// configured as handlers, and the same pod and container checks run on each
// (state, logs, ExecSync, stats, stop and exit codes, and nothing left of
// the container in the runtime's state root, the cgroups or the mounts once
// removed). An unknown handler is refused, naming the configured ones.
//
// crun 1.8 refuses this host's hybrid cgroup layout (v1 plus a v2 mount at
// /sys/fs/cgroup/unified), so for crun cricketd runs in a mount namespace of
// its own with that mount taken away (its children, the monitors and crun,
// inherit it); runc runs in the host's.
#include <dirent.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "absl/strings/match.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"

namespace cricket::testing {
namespace {

struct Handler {
  const char* name;
  const char* binary;
};

bool UnifiedMounted() {
  std::ifstream in("/proc/self/mountinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (absl::StrContains(line, " /sys/fs/cgroup/unified ")) return true;
  }
  return false;
}

class RuntimeHandlerTest : public CriE2eTest, public ::testing::WithParamInterface<Handler> {
 protected:
  void SetUp() override {
    const Handler& h = GetParam();
    if (!sys::PathExists(h.binary)) GTEST_SKIP() << h.binary << " is not installed";
    auto roots = sys::TempDir::Make("cricket-rtc-roots-");
    ASSERT_TRUE(roots.ok()) << roots.status();
    roots_ = std::move(*roots);
    // runc on the default root (<state_dir>/runtimes/runc), crun on one of ours.
    extra_config_yaml_ = "runtime_handlers:\n  runc:\n    path: /usr/sbin/runc\n"
                         "  crun:\n    path: /usr/bin/crun\n    root: " +
                         roots_.Sub("crun") + "\n";
    if (std::string(h.name) == "crun" && UnifiedMounted()) {
      daemon_prefix_ = {"/usr/bin/unshare", "-m", "--propagation", "private", "/bin/sh", "-c",
                        "umount /sys/fs/cgroup/unified && exec \"$0\" \"$@\""};
    }
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    UseBusybox();
  }

  std::string Root() const {
    return std::string(GetParam().name) == "crun" ? roots_.Sub("crun")
                                                   : daemon_->dir() + "/state/runtimes/runc";
  }

  // What the runtime itself says of the container ("" when it knows none).
  std::string RuntimeState(const std::string& id) {
    sys::SpawnOptions so;
    so.argv = daemon_prefix_;
    so.argv.insert(so.argv.end(), {GetParam().binary, "--root=" + Root(), "state", id});
    auto r = sys::RunCommand(so);
    return r.ok() && r->exit.code() == 0 ? r->out : "";
  }

  v1::CreateContainerRequest ContainerRequest(const std::string& pod_id,
                                              const v1::PodSandboxConfig& pod,
                                              const std::string& name, const char* script) {
    v1::CreateContainerRequest create;
    create.set_pod_sandbox_id(pod_id);
    *create.mutable_sandbox_config() = pod;
    auto* cfg = create.mutable_config();
    cfg->mutable_metadata()->set_name(name);
    cfg->mutable_image()->set_image(image_);
    cfg->set_log_path(name + ".log");
    for (const char* a : {"sh", "-c", script}) cfg->add_command(a);
    cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        v1::NamespaceMode::CONTAINER);
    return create;
  }


  v1::ContainerStatus Status(const std::string& id) {
    v1::ContainerStatusRequest r;
    r.set_container_id(id);
    auto s = Call(&v1::RuntimeService::Stub::ContainerStatus, r, "ContainerStatus");
    return s.ok() ? s->status() : v1::ContainerStatus();
  }

  v1::ContainerStatus WaitExited(const std::string& id) {
    v1::ContainerStatus s = Status(id);
    for (int i = 0; i < 100 && s.state() != v1::CONTAINER_EXITED; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      s = Status(id);
    }
    return s;
  }

  std::string WaitLog(const std::string& path, const std::string& want) {
    std::string log;
    for (int i = 0; i < 100 && !absl::StrContains(log, want); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      log = sys::ReadFile(path).value_or("");
    }
    return log;
  }

  // Lines of cricketd's mount table (its own namespace for crun) naming text.
  std::string MountsNaming(const std::string& text) {
    std::ifstream in("/proc/" + std::to_string(daemon_->pid()) + "/mountinfo");
    std::string line, out;
    while (std::getline(in, line)) {
      if (absl::StrContains(line, text)) out += line + "\n";
    }
    return out;
  }

  // cgroup dirs of the container left in any v1 hierarchy or the v2 mount.
  std::string CgroupsNaming(const std::string& id) {
    std::string out;
    std::string parent = "/cricket-e2e-" + std::to_string(getpid());
    for (const char* h : {"memory", "pids", "cpu,cpuacct", "unified", "systemd"}) {
      std::string dir = std::string("/sys/fs/cgroup/") + h + parent;
      DIR* d = ::opendir(dir.c_str());
      if (d == nullptr) continue;
      while (struct dirent* e = ::readdir(d)) {
        if (absl::StrContains(e->d_name, id)) out += dir + "/" + e->d_name + "\n";
      }
      ::closedir(d);
    }
    return out;
  }

  sys::TempDir roots_;
};

TEST_P(RuntimeHandlerTest, PodAndContainersRunThroughTheHandler) {
  const std::string handler = GetParam().name;
  auto logs = sys::TempDir::Make("cricket-rtc-logs-");
  ASSERT_TRUE(logs.ok());
  auto pod_req = PodRequest("rtc-" + handler, logs->path());
  pod_req.set_runtime_handler(handler);
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  EXPECT_EQ(PodStatus(pod->pod_sandbox_id())->status().runtime_handler(), handler);

  // A long-running container.
  auto main_id = CreateAndStart(ContainerRequest(pod->pod_sandbox_id(), pod_req.config(), "main",
                                                 "echo out; echo err >&2; exec sleep 1000"));
  ASSERT_TRUE(main_id.ok()) << main_id.status() << "\n" << daemon_->Stderr();
  const std::string id = *main_id;
  EXPECT_EQ(Status(id).state(), v1::CONTAINER_RUNNING);
  // The handler's runtime, not the built-in engine, holds the container.
  EXPECT_TRUE(absl::StrContains(RuntimeState(id), "\"running\"")) << RuntimeState(id);
  std::string log = WaitLog(logs->Sub("main.log"), " stderr F err\n");
  EXPECT_TRUE(absl::StrContains(log, " stdout F out\n")) << log;
  EXPECT_TRUE(absl::StrContains(log, " stderr F err\n")) << log;

  v1::ExecSyncRequest exec;
  exec.set_container_id(id);
  for (const char* a : {"sh", "-c", "echo hi; echo oops >&2; exit 3"}) exec.add_cmd(a);
  exec.set_timeout(20);
  auto out = Call(&v1::RuntimeService::Stub::ExecSync, exec, "ExecSync");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->stdout(), "hi\n");
  EXPECT_EQ(out->stderr(), "oops\n");
  EXPECT_EQ(out->exit_code(), 3);

  v1::ContainerStatsRequest stats_req;
  stats_req.set_container_id(id);
  auto stats = Call(&v1::RuntimeService::Stub::ContainerStats, stats_req, "ContainerStats");
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_GT(stats->stats().memory().working_set_bytes().value(), 0u);
  EXPECT_GT(stats->stats().cpu().usage_core_nano_seconds().value(), 0u);

  // sleep is pid 1 of its pid namespace and ignores SIGTERM: killed at the timeout.
  v1::StopContainerRequest stop;
  stop.set_container_id(id);
  stop.set_timeout(1);
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::StopContainer, stop, "StopContainer").ok());
  v1::ContainerStatus stopped = Status(id);
  EXPECT_EQ(stopped.state(), v1::CONTAINER_EXITED);
  EXPECT_EQ(stopped.exit_code(), 137);

  // A container that ends by itself with a code.
  auto quick_id = CreateAndStart(
      ContainerRequest(pod->pod_sandbox_id(), pod_req.config(), "quick", "echo bye; exit 7"));
  ASSERT_TRUE(quick_id.ok()) << quick_id.status();
  v1::ContainerStatus quick = WaitExited(*quick_id);
  EXPECT_EQ(quick.state(), v1::CONTAINER_EXITED);
  EXPECT_EQ(quick.exit_code(), 7);
  EXPECT_EQ(quick.reason(), "Error");
  EXPECT_TRUE(absl::StrContains(WaitLog(logs->Sub("quick.log"), "bye"), " stdout F bye\n"));

  for (const std::string& c : {id, *quick_id}) {
    v1::RemoveContainerRequest rm;
    rm.set_container_id(c);
    ASSERT_TRUE(Call(&v1::RuntimeService::Stub::RemoveContainer, rm, "RemoveContainer").ok());
    EXPECT_FALSE(sys::PathExists(Root() + "/" + c)) << "runtime state of " << c << " left";
    EXPECT_EQ(RuntimeState(c), "");
    EXPECT_EQ(CgroupsNaming(c), "");
    EXPECT_EQ(MountsNaming(c), "");
  }
  ASSERT_TRUE(RemovePod(pod->pod_sandbox_id()).ok());
  EXPECT_EQ(MountsNaming(pod->pod_sandbox_id()), "");
}

TEST_P(RuntimeHandlerTest, UnknownHandlerIsRefusedNamingTheConfiguredOnes) {
  auto pod_req = PodRequest("rtc-unknown");
  pod_req.set_runtime_handler("kata-nope");
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_FALSE(pod.ok());
  EXPECT_EQ(pod.status().code(), absl::StatusCode::kNotFound) << pod.status();
  for (const char* name : {"kata-nope", "\"runc\"", "\"crun\"", "built-in"}) {
    EXPECT_TRUE(absl::StrContains(pod.status().message(), name)) << pod.status();
  }
}

INSTANTIATE_TEST_SUITE_P(Handlers, RuntimeHandlerTest,
                         ::testing::Values(Handler{"runc", "/usr/sbin/runc"},
                                           Handler{"crun", "/usr/bin/crun"}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace cricket::testing
