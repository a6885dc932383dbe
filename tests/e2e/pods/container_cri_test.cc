// Containers through cricketd over its CRI socket: an image built from
// busybox-static is pushed to Debian's docker-registry on 127.0.0.1, pulled
// over CRI, and run in a pod on a CNI network; logs, ExecSync, a kill -9 of
// cricketd with the container running, stop, image-in-use, remove.
#include <chrono>
#include <thread>

#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"
#include "tests/fixtures/busybox_registry.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/registry_fixture.h"

namespace cricket::testing {
namespace {

class ContainerCriTest : public CriE2eTest {
 protected:
  void SetUp() override {
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ServeBusybox();
  }

  absl::StatusOr<v1::ContainerStatusResponse> Status(const std::string& id) {
    v1::ContainerStatusRequest r;
    r.set_container_id(id);
    return Call(&v1::RuntimeService::Stub::ContainerStatus, r, "ContainerStatus");
  }

};

TEST_F(ContainerCriTest, PullRunExecLogsSurviveKill9StopRemove) {
  v1::PullImageRequest pull;
  pull.mutable_image()->set_image(image_);
  auto pulled = client_->Call(client_->images(), &v1::ImageService::Stub::PullImage, pull, "PullImage");
  ASSERT_TRUE(pulled.ok()) << pulled.status();

  auto logs = sys::TempDir::Make("cricket-e2e-logs-");
  ASSERT_TRUE(logs.ok());
  auto pod_req = PodRequest("app", logs->path());
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();

  v1::CreateContainerRequest create;
  create.set_pod_sandbox_id(pod->pod_sandbox_id());
  *create.mutable_sandbox_config() = pod_req.config();
  auto* cfg = create.mutable_config();
  cfg->mutable_metadata()->set_name("main");
  cfg->mutable_image()->set_image(image_);
  cfg->set_log_path("main.log");
  for (const char* a : {"sh", "-c", "echo out; echo err >&2; exec sleep 1000"}) cfg->add_command(a);
  cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      v1::NamespaceMode::CONTAINER);
  auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
  ASSERT_TRUE(ctr.ok()) << ctr.status();
  std::string id = ctr->container_id();
  // A kubelet retry of the same create finds the same container.
  EXPECT_EQ(Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer")->container_id(), id);
  v1::StartContainerRequest start;
  start.set_container_id(id);
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer").ok());
  EXPECT_EQ(Status(id)->status().state(), v1::CONTAINER_RUNNING);

  std::string log;
  for (int i = 0; i < 50 && log.find("stderr F err") == std::string::npos; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    log = sys::ReadFile(logs->Sub("main.log")).value_or("");
  }
  EXPECT_NE(log.find(" stdout F out\n"), std::string::npos) << log;
  EXPECT_NE(log.find(" stderr F err\n"), std::string::npos) << log;

  v1::ExecSyncRequest exec;
  exec.set_container_id(id);
  for (const char* a : {"sh", "-c", "hostname; exit 3"}) exec.add_cmd(a);
  exec.set_timeout(10);
  auto out = Call(&v1::RuntimeService::Stub::ExecSync, exec, "ExecSync");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->stdout(), "app\n");
  EXPECT_EQ(out->exit_code(), 3);

  v1::ContainerStatsRequest stats_req;
  stats_req.set_container_id(id);
  auto stats = Call(&v1::RuntimeService::Stub::ContainerStats, stats_req, "ContainerStats");
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->stats().attributes().id(), id);
  EXPECT_GT(stats->stats().cpu().usage_core_nano_seconds().value(), 0u);
  EXPECT_GT(stats->stats().memory().usage_bytes().value(), 0u);
  EXPECT_LE(stats->stats().memory().working_set_bytes().value(),
            stats->stats().memory().usage_bytes().value());
  v1::ListContainerStatsRequest list_stats;
  list_stats.mutable_filter()->set_pod_sandbox_id(pod->pod_sandbox_id());
  auto all = Call(&v1::RuntimeService::Stub::ListContainerStats, list_stats, "ListContainerStats");
  ASSERT_TRUE(all.ok()) << all.status();
  ASSERT_EQ(all->stats_size(), 1);
  EXPECT_EQ(all->stats(0).attributes().metadata().name(), "main");

  KillAndRestart();
  EXPECT_EQ(Status(id.substr(0, 12))->status().state(), v1::CONTAINER_RUNNING);
  out = Call(&v1::RuntimeService::Stub::ExecSync, exec, "ExecSync");
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(out->exit_code(), 3);

  v1::StopContainerRequest stop;
  stop.set_container_id(id);
  stop.set_timeout(1);  // sleep as pid 1 ignores SIGTERM: SIGKILL after the timeout
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::StopContainer, stop, "StopContainer").ok());
  auto st = Status(id);
  EXPECT_EQ(st->status().state(), v1::CONTAINER_EXITED);
  EXPECT_EQ(st->status().exit_code(), 137);

  v1::RemoveImageRequest rmi;
  rmi.mutable_image()->set_image(image_);
  auto in_use = client_->Call(client_->images(), &v1::ImageService::Stub::RemoveImage, rmi, "RemoveImage");
  EXPECT_FALSE(in_use.ok());
  EXPECT_NE(in_use.status().message().find(id), std::string::npos) << in_use.status();

  v1::RemoveContainerRequest rm;
  rm.set_container_id(id);
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::RemoveContainer, rm, "RemoveContainer").ok());
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::RemoveContainer, rm, "RemoveContainer").ok());
  EXPECT_EQ(Status(id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(client_->Call(client_->images(), &v1::ImageService::Stub::RemoveImage, rmi, "RemoveImage").ok());
}

TEST_F(ContainerCriTest, BadRequestsNameTheProblem) {
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, PodRequest("bad"), "RunPodSandbox");
  ASSERT_TRUE(pod.ok());
  v1::CreateContainerRequest create;
  create.set_pod_sandbox_id(pod->pod_sandbox_id());
  create.mutable_config()->mutable_metadata()->set_name("x");
  create.mutable_config()->mutable_image()->set_image("127.0.0.1:1/never/pulled:1");
  auto r = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound) << r.status();
  create.set_pod_sandbox_id("0000dead");
  r = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound) << r.status();
  create.mutable_config()->clear_image();
  r = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
}

}  // namespace
}  // namespace cricket::testing
