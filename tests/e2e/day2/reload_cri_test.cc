// Reload on SIGHUP over the real socket (issue 19): a running container, a
// changed drop-in (pinned images and log level, which apply live, and a
// streaming key, which needs a restart), SIGHUP; the daemon still serves,
// the container still runs, the new values are in effect and the log names
// each key. Then an invalid drop-in: the running config stays and the log
// names file:line.
#include <signal.h>

#include <chrono>
#include <thread>

#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"

namespace cricket::testing {
namespace {

class ReloadCriTest : public CriE2eTest {
 protected:
  void SetUp() override {
    // The fixture's --log-level flag would override the file's log_level.
    extra_daemon_args_ = {"--log-level="};
    extra_config_yaml_ = "log_level: info\n";
    CriE2eTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    UseBusybox();
  }
  std::string DropIn() { return daemon_->dir() + "/cricket.d/50-test.yaml"; }
  // Sends SIGHUP and waits for the reload's outcome (`mark`) to appear in
  // the daemon's log after what it held before.
  std::string Reload(const std::string& mark) {
    size_t before = daemon_->Stderr().size();
    EXPECT_EQ(::kill(daemon_->pid(), SIGHUP), 0);
    std::string added;
    for (int i = 0; i < 200 && added.find(mark) == std::string::npos; i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      added = daemon_->Stderr().substr(before);
    }
    EXPECT_NE(added.find(mark), std::string::npos) << added;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the rest of its lines
    return daemon_->Stderr().substr(before);
  }
  bool Pinned() {
    v1::ImageStatusRequest r;
    r.mutable_image()->set_image(image_);
    auto st = client_->Call(client_->images(), &v1::ImageService::Stub::ImageStatus, r, "ImageStatus");
    EXPECT_TRUE(st.ok()) << st.status();
    return st.ok() && st->image().pinned();
  }
  absl::StatusOr<v1::ContainerStatusResponse> Status(const std::string& id) {
    v1::ContainerStatusRequest r;
    r.set_container_id(id);
    r.set_verbose(true);
    return Call(&v1::RuntimeService::Stub::ContainerStatus, r, "ContainerStatus");
  }
};

TEST_F(ReloadCriTest, SighupAppliesLiveKeysNamesRestartKeysAndKeepsOldOnError) {
  auto logs = sys::TempDir::Make("cricket-e2e-logs-");
  ASSERT_TRUE(logs.ok());
  auto pod_req = PodRequest("reload", logs->path());
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  ASSERT_TRUE(pod.ok()) << pod.status();
  v1::CreateContainerRequest create;
  create.set_pod_sandbox_id(pod->pod_sandbox_id());
  *create.mutable_sandbox_config() = pod_req.config();
  create.mutable_config()->mutable_metadata()->set_name("main");
  create.mutable_config()->mutable_image()->set_image(image_);
  for (const char* a : {"sleep", "1000"}) create.mutable_config()->add_command(a);
  create.mutable_config()->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      v1::NamespaceMode::CONTAINER);
  auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
  ASSERT_TRUE(ctr.ok()) << ctr.status();
  const std::string id = ctr->container_id();
  v1::StartContainerRequest start;
  start.set_container_id(id);
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer").ok());
  auto before = Status(id);
  ASSERT_TRUE(before.ok()) << before.status();
  const std::string info_before = before->info().at("info");
  EXPECT_FALSE(Pinned());

  auto base = sys::ReadFile(DropIn());
  ASSERT_TRUE(base.ok()) << base.status();
  std::string changed = *base;
  changed.replace(changed.find("log_level: info\n"), 16, "log_level: debug\n");
  changed += "image:\n  pinned_images: [\"*/e2e/busybox:*\"]\nstreaming:\n  token_ttl_seconds: 120\n"
             "runtime:\n  default_capabilities: [CHOWN, KILL, NET_RAW]\n";
  ASSERT_TRUE(sys::WriteFileAtomic(DropIn(), changed).ok());
  std::string said = Reload("config reloaded");
  EXPECT_NE(said.find("msg=\"config reloaded: key applied\" key=log_level"), std::string::npos) << said;
  EXPECT_NE(said.find("msg=\"config reloaded: key applied\" key=image.pinned_images"),
            std::string::npos) << said;
  EXPECT_NE(said.find("msg=\"config reloaded: key applied\" key=runtime.default_capabilities"),
            std::string::npos) << said;
  EXPECT_NE(said.find("msg=\"config reloaded: key needs a restart\" key=streaming.token_ttl_seconds"),
            std::string::npos) << said;
  EXPECT_EQ(said.find("key=cni."), std::string::npos) << said;  // unchanged keys are not named

  // Still serving; the container runs on, untouched (same pid, same status).
  ASSERT_TRUE(client_->Version().ok());
  EXPECT_TRUE(Pinned());
  auto after = Status(id);
  ASSERT_TRUE(after.ok()) << after.status();
  EXPECT_EQ(after->status().state(), v1::CONTAINER_RUNNING);
  EXPECT_EQ(after->info().at("info"), info_before);
  EXPECT_EQ(info_before.find("CAP_NET_RAW"), std::string::npos);
  // A container created now gets the new default capabilities.
  create.mutable_config()->mutable_metadata()->set_name("second");
  auto second = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
  ASSERT_TRUE(second.ok()) << second.status();
  auto second_status = Status(second->container_id());
  ASSERT_TRUE(second_status.ok()) << second_status.status();
  EXPECT_NE(second_status->info().at("info").find("CAP_NET_RAW"), std::string::npos);
  // debug is in effect: a CRI call now logs its debug line.
  size_t mark = daemon_->Stderr().size();
  ASSERT_TRUE(client_->Version().ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_NE(daemon_->Stderr().substr(mark).find("level=debug"), std::string::npos);

  // An invalid drop-in: the error names file:line, and the running config stays.
  std::string bad = changed;
  size_t at = bad.find("NET_RAW]");
  bad.replace(at, 7, "CAP_NET_RAW");
  int bad_line = 1;
  for (size_t i = 0; i < at; i++) bad_line += bad[i] == '\n';
  ASSERT_TRUE(sys::WriteFileAtomic(DropIn(), bad).ok());
  said = Reload("config reload failed");
  EXPECT_NE(said.find("50-test.yaml:" + std::to_string(bad_line) +
                      ": runtime.default_capabilities[2]"),
            std::string::npos)
      << said;
  EXPECT_EQ(said.find("key applied"), std::string::npos) << said;
  ASSERT_TRUE(client_->Version().ok());
  EXPECT_TRUE(Pinned());
  EXPECT_EQ(Status(id)->status().state(), v1::CONTAINER_RUNNING);

  // Back to the start: pinned no more.
  ASSERT_TRUE(sys::WriteFileAtomic(DropIn(), *base).ok());
  said = Reload("config reloaded");
  EXPECT_NE(said.find("key=image.pinned_images"), std::string::npos) << said;
  EXPECT_FALSE(Pinned());
  EXPECT_EQ(Status(id)->status().state(), v1::CONTAINER_RUNNING);
}

}  // namespace
}  // namespace cricket::testing
