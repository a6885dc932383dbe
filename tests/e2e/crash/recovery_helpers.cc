// RecoveryE2eTest (see recovery_helpers.h).
#include "tests/e2e/crash/recovery_helpers.h"

#include <fcntl.h>
#include <signal.h>

#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "oci/sys/atomic_file.h"
#include "oci/sys/unique_fd.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {

void RecoveryE2eTest::SetUp() {
  CriE2eTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  ServeBusybox();
  if (HasFatalFailure()) return;
  PullBusybox();
}

RecoveryE2eTest::Running RecoveryE2eTest::RunSleeper(const std::string& name) {
  Running r;
  auto pod_req = PodRequest(name);
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req, "RunPodSandbox");
  EXPECT_TRUE(pod.ok()) << pod.status();
  if (!pod.ok()) return r;
  r.pod_id = pod->pod_sandbox_id();
  v1::CreateContainerRequest create;
  create.set_pod_sandbox_id(r.pod_id);
  *create.mutable_sandbox_config() = pod_req.config();
  auto* cfg = create.mutable_config();
  cfg->mutable_metadata()->set_name("sleeper");
  cfg->mutable_image()->set_image(image_);
  for (const char* a : {"sleep", "1000"}) cfg->add_command(a);
  cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      v1::NamespaceMode::CONTAINER);
  auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
  EXPECT_TRUE(ctr.ok()) << ctr.status();
  if (!ctr.ok()) return r;
  r.container_id = ctr->container_id();
  v1::StartContainerRequest start;
  start.set_container_id(r.container_id);
  auto started = Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer");
  EXPECT_TRUE(started.ok()) << started.status();
  return r;
}

absl::StatusOr<v1::ContainerStatusResponse> RecoveryE2eTest::ContainerStatus(
    const std::string& id) {
  v1::ContainerStatusRequest r;
  r.set_container_id(id);
  r.set_verbose(true);
  return Call(&v1::RuntimeService::Stub::ContainerStatus, r, "ContainerStatus");
}

void RecoveryE2eTest::KillAndRestartWith(const std::vector<std::string>& env,
                                         const std::function<void()>& while_down) {
  KillDaemon();
  if (HasFatalFailure()) return;
  if (while_down) while_down();
  std::ofstream(RestartLog(), std::ios::trunc).close();  // the last daemon's lines only
  StartDaemon(env, RestartLog());
}

std::pair<pid_t, pid_t> RecoveryE2eTest::Pids(const std::string& container_id) {
  auto st = ContainerStatus(container_id);
  EXPECT_TRUE(st.ok()) << st.status();
  if (!st.ok()) return {0, 0};
  auto info = nlohmann::json::parse(st->info().at("info"), nullptr, false);
  return {info.value("pid", 0), info.value("monitor_pid", 0)};
}

std::map<std::string, std::string> RecoveryE2eTest::RecordFiles() const {
  std::map<std::string, std::string> out;
  const std::string dir = RootDir() + "/records";
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    out[std::filesystem::relative(it->path(), dir).string()] =
        sys::ReadFile(it->path().string()).value_or("?");
  }
  return out;
}

}  // namespace cricket::testing
