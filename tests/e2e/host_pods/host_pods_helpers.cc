// The shared part of the host-network and privileged pod tests.
#include "tests/e2e/host_pods/host_pods_helpers.h"

namespace cricket::testing {

void HostPodsTest::SetUp() {
  CriE2eTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  ServeBusybox();
  if (HasFatalFailure()) return;
  PullBusybox();
}

std::string HostPodsTest::RunPod(const v1::RunPodSandboxRequest& req) {
  auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, req, "RunPodSandbox");
  EXPECT_TRUE(pod.ok()) << pod.status();
  return pod.ok() ? pod->pod_sandbox_id() : "";
}

absl::StatusOr<std::string> HostPodsTest::Create(
    const std::string& pod, const v1::RunPodSandboxRequest& pod_req, const std::string& name,
    const std::vector<std::string>& cmd, const std::function<void(v1::ContainerConfig*)>& edit) {
  v1::CreateContainerRequest create;
  create.set_pod_sandbox_id(pod);
  *create.mutable_sandbox_config() = pod_req.config();
  auto* cfg = create.mutable_config();
  cfg->mutable_metadata()->set_name(name);
  cfg->mutable_image()->set_image(image_);
  for (const auto& a : cmd) cfg->add_command(a);
  cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      v1::NamespaceMode::CONTAINER);
  if (edit) edit(cfg);
  auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
  if (!ctr.ok()) return ctr.status();
  return ctr->container_id();
}

std::string HostPodsTest::Start(const std::string& pod, const v1::RunPodSandboxRequest& pod_req,
                                const std::string& name, const std::vector<std::string>& cmd,
                                const std::function<void(v1::ContainerConfig*)>& edit) {
  absl::StatusOr<std::string> id = Create(pod, pod_req, name, cmd, edit);
  EXPECT_TRUE(id.ok()) << name << ": " << id.status();
  if (!id.ok()) return "";
  v1::StartContainerRequest start;
  start.set_container_id(*id);
  auto started = Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer");
  EXPECT_TRUE(started.ok()) << name << ": " << started.status();
  return started.ok() ? *id : "";
}

std::string HostPodsTest::Exec(const std::string& id, const std::string& script) {
  v1::ExecSyncRequest exec;
  exec.set_container_id(id);
  for (const char* a : {"sh", "-c", script.c_str()}) exec.add_cmd(a);
  exec.set_timeout(20);
  auto out = Call(&v1::RuntimeService::Stub::ExecSync, exec, "ExecSync");
  EXPECT_TRUE(out.ok()) << out.status();
  if (!out.ok()) return "";
  EXPECT_EQ(out->exit_code(), 0) << script << ": " << out->stderr();
  return out->stdout();
}

}  // namespace cricket::testing
