// What the cricketctl e2e tests share: a CriE2eTest that runs the built
// cricketctl binary against its cricketd, and an imported busybox image.
#pragma once

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "oci/sys/child_process.h"
#include "oci/sys/temp_dir.h"
#include "tests/e2e/common/cri_e2e_fixture.h"

namespace cricket::testing {

class CtlE2eTest : public CriE2eTest {
 protected:
  void SetUp() override;

  // cricketctl --config <ours> -r <daemon> ARGS..., to completion.
  sys::CommandResult Ctl(const std::vector<std::string>& args);
  // Ctl that must exit 0; returns stdout.
  std::string CtlOk(const std::vector<std::string>& args);
  // stdout parsed as JSON (a failed expectation on garbage).
  nlohmann::json CtlJson(const std::vector<std::string>& args);

  // Writes an OCI layout of the busybox test image as a tarball; its path.
  std::string BusyboxLayoutTar();
  // Imports it as `ref` with cricketctl import.
  void ImportBusybox(const std::string& ref);
  // Writes `text` to a file in our temp dir; its path.
  std::string WriteFile(const std::string& name, const std::string& text);
  // A pod config (JSON, as crictl takes it) for PodRequest(name) with logs in our dir.
  std::string PodConfigFile(const std::string& name, bool host_network = false);

  std::unique_ptr<sys::TempDir> tmp_;
  std::string config_;  // cricketctl.yaml of this test
};

}  // namespace cricket::testing
