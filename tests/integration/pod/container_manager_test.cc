// ContainerManager over a real host-network pod (no CNI needed) and the real
// engine and monitor: create/start/status/stop/remove, the CRI log, ExecSync,
// a kubelet retry, bad input, and recovery by a second manager on the same
// records. The image layer is faked with a busybox rootfs per container.
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>
#include <optional>
#include <thread>

#include "absl/strings/str_cat.h"
#include "cri/wire/cri_log.h"
#include "gtest/gtest.h"
#include "network/network_manager.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/status.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "pod/container_manager.h"
#include "pod/record_store.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/rootfs_builder.h"

namespace cricket::pod {
namespace {

using cri::wire::ParseCriLogLine;

class FakeImages : public RootfsProvider {
 public:
  explicit FakeImages(std::string dir) : dir_(std::move(dir)) {}
  absl::StatusOr<ResolvedImage> Resolve(const std::string& ref) override {
    if (ref != "busybox:test") return absl::NotFoundError("image " + ref + " not found");
    ResolvedImage r;
    r.id = "sha256:0123";
    r.ref = "busybox@sha256:0123";
    r.config.entrypoint = {"/bin/sh"};
    r.config.env = {"PATH=/bin"};
    return r;
  }
  absl::StatusOr<std::string> PrepareRootfs(const std::string& id, const std::string&) override {
    std::string p = dir_ + "/" + id;
    RETURN_IF_ERROR(testing::BuildBusyboxRootfs(p));
    return p;
  }
  absl::Status RemoveRootfs(const std::string& id) override { return sys::RemoveAll(dir_ + "/" + id); }

 private:
  std::string dir_;
};

class ContainerManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    monitor_ = testing::BuiltProgram("pod/cricket-monitor");
    if (access(monitor_.c_str(), X_OK) != 0) {
      if (testing::InCI()) FAIL() << monitor_ << " not built (CI=true)";
      GTEST_SKIP() << monitor_ << " not built";
    }
    auto tmp = sys::TempDir::Make("cricket-cm-test-");
    ASSERT_TRUE(tmp.ok());
    tmp_.emplace(std::move(*tmp));
    chmod(tmp_->path().c_str(), 0711);
    paths_ = Paths{tmp_->Sub("root"), tmp_->Sub("state")};
    records_ = std::make_unique<RecordStore>(paths_.Records());
    // Host-network pods only; still, the CNI dirs are the test's, not the host's.
    conf::Config::Cni cni;
    cni.conf_dir = tmp_->Sub("cni/net.d");
    cni.cache_dir = tmp_->Sub("cni/cache");
    network_ = std::make_unique<network::NetworkManager>(cni);
    images_ = std::make_unique<FakeImages>(tmp_->Sub("rootfs"));
    SandboxManager::Options so;
    so.paths = paths_;
    sandboxes_ = std::make_unique<SandboxManager>(so, network_.get(), records_.get());
    MakeManager();
    ASSERT_TRUE(sandboxes_->Recover().ok());
    ASSERT_TRUE(manager_->Recover().ok());
    pod_config_.mutable_metadata()->set_name("pod");
    pod_config_.mutable_metadata()->set_namespace_("ns");
    pod_config_.mutable_metadata()->set_uid(absl::StrCat("uid-", getpid()));
    pod_config_.set_hostname("cmtest");
    pod_config_.set_log_directory(tmp_->Sub("logs"));
    pod_config_.mutable_linux()->set_cgroup_parent(absl::StrCat("/cricket-cm-test-", getpid()));
    pod_config_.mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_network(
        runtime::v1::NODE);
    // The kubelet's default without shareProcessNamespace.
    pod_config_.mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
        runtime::v1::CONTAINER);
    auto pod = sandboxes_->Run(pod_config_, "");
    ASSERT_TRUE(pod.ok()) << pod.status();
    pod_id_ = *pod;
  }

  void TearDown() override {
    if (!sandboxes_) return;
    if (!pod_id_.empty()) {
      EXPECT_TRUE(sandboxes_->Stop(pod_id_).ok());
      EXPECT_TRUE(sandboxes_->Remove(pod_id_).ok());
    }
    if (manager_) {
      EXPECT_TRUE(manager_->List({}).empty());
    }
    manager_.reset();
    // The pod's cgroup parent (made by the engine for its containers).
    auto controllers = sys::ListDir("/sys/fs/cgroup");
    for (const auto& c : controllers.ok() ? *controllers : std::vector<std::string>{}) {
      (void)sys::RemoveDir(absl::StrCat("/sys/fs/cgroup/", c, "/cricket-cm-test-", getpid()));
    }
  }

  void MakeManager() {
    ContainerManager::Options o;
    o.paths = paths_;
    o.monitor_path = monitor_;
    manager_ = std::make_unique<ContainerManager>(o, sandboxes_.get(), images_.get(), records_.get());
  }

  runtime::v1::ContainerConfig Config(const std::string& name, std::vector<std::string> args) {
    runtime::v1::ContainerConfig c;
    c.mutable_metadata()->set_name(name);
    c.mutable_image()->set_image("busybox:test");
    for (auto& a : args) c.add_args(a);
    c.set_log_path(name + "/0.log");
    (*c.mutable_labels())["app"] = name;
    // As the kubelet sets them for a hostNetwork pod.
    auto* ns = c.mutable_linux()->mutable_security_context()->mutable_namespace_options();
    ns->set_pid(runtime::v1::CONTAINER);
    ns->set_network(runtime::v1::NODE);
    return c;
  }

  // Waits (bounded: a hang guard) until the container is Exited.
  absl::StatusOr<Container> WaitExited(const ContainerId& id) {
    for (int i = 0; i < 3000; ++i) {
      absl::StatusOr<Container> c = manager_->Get(id);
      if (!c.ok() || c->state() == ContainerState::kExited) return c;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return absl::DeadlineExceededError("container did not exit");
  }

  std::string monitor_;
  std::optional<sys::TempDir> tmp_;
  Paths paths_;
  std::unique_ptr<RecordStore> records_;
  std::unique_ptr<network::NetworkManager> network_;
  std::unique_ptr<FakeImages> images_;
  std::unique_ptr<SandboxManager> sandboxes_;
  std::unique_ptr<ContainerManager> manager_;
  runtime::v1::PodSandboxConfig pod_config_;
  PodId pod_id_;
};

TEST_F(ContainerManagerTest, LifecycleLogsAndExit) {
  auto id = manager_->Create(pod_id_, Config("echo", {"-c", "echo hi; exit 7"}), pod_config_);
  ASSERT_TRUE(id.ok()) << id.status();
  auto c = manager_->Get(*id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->state(), ContainerState::kCreated);
  EXPECT_EQ(c->image_ref, "busybox@sha256:0123");
  EXPECT_EQ(c->log_path, tmp_->Sub("logs/echo/0.log"));
  ASSERT_TRUE(manager_->Start(*id).ok());
  EXPECT_EQ(manager_->Start(*id).code(), absl::StatusCode::kFailedPrecondition);
  c = WaitExited(*id);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->exit_code, 7);
  EXPECT_EQ(c->reason, "Error");
  EXPECT_GT(c->started_at_ns, 0);
  EXPECT_GE(c->finished_at_ns, c->started_at_ns);
  auto log = sys::ReadFile(c->log_path);
  ASSERT_TRUE(log.ok());
  auto line = ParseCriLogLine(log->substr(0, log->find('\n')));
  ASSERT_TRUE(line.ok()) << *log;
  EXPECT_EQ(line->content, "hi");
  EXPECT_TRUE(manager_->Stop(*id, 10).ok());  // idempotent on an exited container
  ASSERT_TRUE(manager_->Remove(*id).ok());
  EXPECT_TRUE(manager_->Remove(*id).ok());
  EXPECT_EQ(manager_->Get(*id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(sys::PathExists(manager_->paths().Bundle(id->str())));
  EXPECT_FALSE(sys::PathExists(tmp_->Sub("rootfs/" + id->str())));
}

// Exited is final: a Start after the exit is refused, naming the container
// and its state, and the record (and its exit) stay as they were.
TEST_F(ContainerManagerTest, StartAfterExitIsRefusedAndKeepsTheRecord) {
  auto id = manager_->Create(pod_id_, Config("once", {"-c", "exit 3"}), pod_config_);
  ASSERT_TRUE(id.ok()) << id.status();
  ASSERT_TRUE(manager_->Start(*id).ok());
  auto c = WaitExited(*id);
  ASSERT_TRUE(c.ok()) << c.status();
  absl::Status again = manager_->Start(*id);
  EXPECT_EQ(again.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(again.message().find(id->str()), absl::string_view::npos) << again;
  EXPECT_NE(again.message().find("exited"), absl::string_view::npos) << again;
  auto after = manager_->Get(*id);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->state(), ContainerState::kExited);
  EXPECT_EQ(after->exit_code, 3);
  EXPECT_EQ(after->started_at_ns, c->started_at_ns);
  EXPECT_EQ(manager_->Start(ContainerId("nosuch")).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(manager_->Remove(*id).ok());
}

TEST_F(ContainerManagerTest, StopExecRetryAndFilters) {
  runtime::v1::ContainerConfig cfg = Config("sleeper", {"-c", "trap 'exit 0' TERM; while :; do sleep 1; done"});
  auto id = manager_->Create(pod_id_, cfg, pod_config_);
  ASSERT_TRUE(id.ok()) << id.status();
  auto again = manager_->Create(pod_id_, cfg, pod_config_);  // the kubelet's retry
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *id);
  ASSERT_TRUE(manager_->Start(*id).ok());
  auto res = manager_->ExecSync(*id, {"/bin/sh", "-c", "echo $((6*7)); exit 2"}, std::chrono::seconds(30));
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_EQ(res->out, "42\n");
  EXPECT_EQ(res->exit_code, 2);
  ContainerFilter f;
  f.state = ContainerState::kRunning;
  EXPECT_EQ(manager_->List(f).size(), 1u);
  f = ContainerFilter();
  f.labels = {{"app", "sleeper"}};
  EXPECT_EQ(manager_->List(f).size(), 1u);
  f.labels = {{"app", "other"}};
  EXPECT_EQ(manager_->List(f).size(), 0u);
  f = ContainerFilter();
  f.pod_id_prefix = pod_id_.str().substr(0, 8);
  EXPECT_EQ(manager_->List(f).size(), 1u);
  EXPECT_TRUE(manager_->ReopenLog(*id).ok());
  runtime::v1::LinuxContainerResources r;
  r.set_memory_limit_in_bytes(64 << 20);
  EXPECT_TRUE(manager_->UpdateResources(*id, r).ok());
  ASSERT_TRUE(manager_->Stop(*id, 30).ok());
  auto c = manager_->Get(*id);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->state(), ContainerState::kExited);
  EXPECT_EQ(c->exit_code, 0) << "SIGTERM was trapped";
  EXPECT_EQ(manager_->ExecSync(*id, {"true"}, std::chrono::seconds(1)).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ContainerManagerTest, BadInputIsRefusedAndLeavesNothing) {
  EXPECT_EQ(manager_->Create(PodId("nosuchpod"), Config("x", {}), pod_config_).status().code(),
            absl::StatusCode::kNotFound);
  runtime::v1::ContainerConfig cfg = Config("x", {});
  cfg.mutable_image()->set_image("missing:latest");
  EXPECT_EQ(manager_->Create(pod_id_, cfg, pod_config_).status().code(), absl::StatusCode::kNotFound);
  // The name is free again after a failed create.
  auto id = manager_->Create(pod_id_, Config("x", {"-c", "true"}), pod_config_);
  ASSERT_TRUE(id.ok()) << id.status();
  EXPECT_TRUE(manager_->Remove(*id).ok());
  auto left = sys::ListDir(paths_.state + "/containers");
  EXPECT_TRUE(!left.ok() || left->empty());
}

// The monitor is spawned before the spec is built (it starts up meanwhile);
// a spec that fails tells it to give up, and nothing is left behind.
TEST_F(ContainerManagerTest, SpecFailureAfterTheMonitorStartedLeavesNothing) {
  runtime::v1::ContainerConfig cfg = Config("badcap", {"-c", "true"});
  cfg.mutable_linux()->mutable_security_context()->mutable_capabilities()->add_add_capabilities(
      "NOT_A_CAP");
  auto id = manager_->Create(pod_id_, cfg, pod_config_);
  EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument) << id.status();
  auto left = sys::ListDir(paths_.state + "/containers");
  EXPECT_TRUE(!left.ok() || left->empty());
  // The name is free again.
  auto again = manager_->Create(pod_id_, Config("badcap", {"-c", "true"}), pod_config_);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(manager_->Remove(*again).ok());
}

TEST_F(ContainerManagerTest, RecoversRunningAndExitedContainers) {
  auto run = manager_->Create(pod_id_, Config("runner", {"-c", "exec sleep 100000"}), pod_config_);
  ASSERT_TRUE(run.ok()) << run.status();
  auto done = manager_->Create(
      pod_id_, Config("done", {"-c", "while [ ! -e /go ]; do usleep 20000; done; exit 5"}),
      pod_config_);
  ASSERT_TRUE(done.ok()) << done.status();
  ASSERT_TRUE(manager_->Start(*run).ok());
  ASSERT_TRUE(manager_->Start(*done).ok());
  // "cricketd goes away"; while it is down, `done` is told to exit.
  std::string exit_file = manager_->paths().ExitFile(done->str());
  manager_.reset();
  ASSERT_TRUE(sys::WriteFileAtomic(tmp_->Sub("rootfs/" + done->str() + "/go"), "").ok());
  for (int i = 0; i < 3000 && !sys::PathExists(exit_file); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(sys::PathExists(exit_file));
  MakeManager();
  ASSERT_TRUE(manager_->Recover().ok());
  std::vector<Container> all = manager_->List({});
  ASSERT_EQ(all.size(), 2u);
  auto d = manager_->Get(*done);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->state(), ContainerState::kExited);
  EXPECT_EQ(d->exit_code, 5);
  auto r = manager_->Get(*run);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state(), ContainerState::kRunning);
  // The recovered container can still be exec'd into and stopped.
  auto res = manager_->ExecSync(*run, {"/bin/echo", "alive"}, std::chrono::seconds(30));
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_EQ(res->out, "alive\n");
  ASSERT_TRUE(manager_->Stop(*run, 1).ok());
  r = manager_->Get(*run);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->state(), ContainerState::kExited);
  // The same name is held by the recovered container: a retry finds it.
  auto again = manager_->Create(pod_id_, Config("runner", {"-c", "true"}), pod_config_);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *run);
}

}  // namespace
}  // namespace cricket::pod
