// What the stats and events e2e tests share: a cricketd with the busybox test
// image in a local registry, and short-hands for the calls they repeat.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/common/cri_e2e_fixture.h"
#include "tests/fixtures/registry_fixture.h"

namespace cricket::testing {

class StatsCriTest : public CriE2eTest {
 protected:
  void SetUp() override;

  // Creates and starts a container in the pod; "" (with a test failure) on error.
  std::string StartContainer(const std::string& pod_id, const v1::RunPodSandboxRequest& pod_req,
                             const std::string& name, const std::vector<std::string>& cmd,
                             const std::map<std::string, std::string>& labels = {});
  absl::StatusOr<v1::ContainerStats> ContainerStats(const std::string& id);
  absl::StatusOr<v1::PodSandboxStats> PodStats(const std::string& id);
  v1::ListContainerStatsResponse ListContainerStats(const v1::ListContainerStatsRequest& req);

  // Reads a server stream to its end; false (with a test failure) when it ends in error.
  template <typename Resp, typename Open, typename Each>
  bool ReadAll(Open open, Each each) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    auto reader = open(&ctx);
    Resp r;
    while (reader->Read(&r)) each(r);
    grpc::Status st = reader->Finish();
    EXPECT_TRUE(st.ok()) << st.error_message();
    return st.ok();
  }

};

}  // namespace cricket::testing
