// What the host-network and privileged pod tests share: cricketd with the
// busybox image pulled, a container started in a pod, ExecSync.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "tests/e2e/common/cri_e2e_fixture.h"

namespace cricket::testing {

class HostPodsTest : public CriE2eTest {
 protected:
  void SetUp() override;

  // RunPodSandbox; "" (and a test failure) when it fails.
  std::string RunPod(const v1::RunPodSandboxRequest& req);
  // CreateContainer only: `edit` shapes the config (security context, ...).
  absl::StatusOr<std::string> Create(const std::string& pod, const v1::RunPodSandboxRequest& pod_req,
                                     const std::string& name, const std::vector<std::string>& cmd,
                                     const std::function<void(v1::ContainerConfig*)>& edit = {});
  // CreateContainer and StartContainer; "" (and a test failure) when either fails.
  std::string Start(const std::string& pod, const v1::RunPodSandboxRequest& pod_req,
                    const std::string& name, const std::vector<std::string>& cmd,
                    const std::function<void(v1::ContainerConfig*)>& edit = {});
  // ExecSync of `sh -c script`: its stdout ("" and a failure unless it exits 0).
  std::string Exec(const std::string& id, const std::string& script);
};

}  // namespace cricket::testing
