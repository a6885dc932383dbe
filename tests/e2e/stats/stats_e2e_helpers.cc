// StatsCriTest: the busybox image in a local registry, and call short-hands.
#include "tests/e2e/stats/stats_e2e_helpers.h"

#include "tests/fixtures/busybox_registry.h"

namespace cricket::testing {

void StatsCriTest::SetUp() {
  CriE2eTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  ServeBusybox();
}


std::string StatsCriTest::StartContainer(const std::string& pod_id,
                                         const v1::RunPodSandboxRequest& pod_req,
                                         const std::string& name,
                                         const std::vector<std::string>& cmd,
                                         const std::map<std::string, std::string>& labels) {
  v1::CreateContainerRequest create;
  create.set_pod_sandbox_id(pod_id);
  *create.mutable_sandbox_config() = pod_req.config();
  auto* cfg = create.mutable_config();
  cfg->mutable_metadata()->set_name(name);
  cfg->mutable_image()->set_image(image_);
  for (const auto& a : cmd) cfg->add_command(a);
  cfg->mutable_labels()->insert(labels.begin(), labels.end());
  cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      v1::NamespaceMode::CONTAINER);
  auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
  if (!ctr.ok()) {
    ADD_FAILURE() << ctr.status();
    return "";
  }
  v1::StartContainerRequest start;
  start.set_container_id(ctr->container_id());
  auto started = Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer");
  if (!started.ok()) {
    ADD_FAILURE() << started.status();
    return "";
  }
  return ctr->container_id();
}

absl::StatusOr<v1::ContainerStats> StatsCriTest::ContainerStats(const std::string& id) {
  v1::ContainerStatsRequest r;
  r.set_container_id(id);
  auto resp = Call(&v1::RuntimeService::Stub::ContainerStats, r, "ContainerStats");
  if (!resp.ok()) return resp.status();
  return resp->stats();
}

absl::StatusOr<v1::PodSandboxStats> StatsCriTest::PodStats(const std::string& id) {
  v1::PodSandboxStatsRequest r;
  r.set_pod_sandbox_id(id);
  auto resp = Call(&v1::RuntimeService::Stub::PodSandboxStats, r, "PodSandboxStats");
  if (!resp.ok()) return resp.status();
  return resp->stats();
}

v1::ListContainerStatsResponse StatsCriTest::ListContainerStats(
    const v1::ListContainerStatsRequest& req) {
  auto resp = Call(&v1::RuntimeService::Stub::ListContainerStats, req, "ListContainerStats");
  EXPECT_TRUE(resp.ok()) << resp.status();
  return resp.ok() ? *resp : v1::ListContainerStatsResponse();
}

}  // namespace cricket::testing
