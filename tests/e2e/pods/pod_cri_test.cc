// Pod sandboxes through cricketd over its CRI socket, with Debian's CNI
// plugins: run, status, list, a kill -9 of the daemon and its recovery,
// then stop and remove — nothing left behind.
#include "tests/e2e/common/cri_e2e_fixture.h"

namespace cricket::testing {
namespace {

using PodCriTest = CriE2eTest;

TEST_F(PodCriTest, LifecycleAndRecoveryAfterKill9) {
  auto status = client_->Status(false);
  ASSERT_TRUE(status.ok());
  bool net_ready = false;
  for (const auto& c : status->status().conditions()) {
    if (c.type() == "NetworkReady") net_ready = c.status();
  }
  EXPECT_TRUE(net_ready);

  auto run = Call(&v1::RuntimeService::Stub::RunPodSandbox, PodRequest("web"), "RunPodSandbox");
  ASSERT_TRUE(run.ok()) << run.status();
  std::string id = run->pod_sandbox_id();
  auto st = PodStatus(id);
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_EQ(st->status().state(), v1::SANDBOX_READY);
  std::string ip = st->status().network().ip();
  EXPECT_FALSE(ip.empty());
  EXPECT_NE(st->info().at("info").find("netns_path"), std::string::npos);
  auto ping = CniFixture::RunOnHost({"/bin/busybox", "ping", "-c1", "-W2", ip});
  EXPECT_TRUE(ping.ok() && ping->exit.code() == 0);

  KillAndRestart();
  st = PodStatus(id.substr(0, 10));
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_EQ(st->status().state(), v1::SANDBOX_READY);
  EXPECT_EQ(st->status().network().ip(), ip);

  v1::ListPodSandboxRequest lr;
  (*lr.mutable_filter()->mutable_label_selector())["app"] = "web";
  auto list = Call(&v1::RuntimeService::Stub::ListPodSandbox, lr, "ListPodSandbox");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items_size(), 1);
  EXPECT_EQ(list->items(0).id(), id);

  v1::StopPodSandboxRequest stop;
  stop.set_pod_sandbox_id(id);
  for (int i = 0; i < 2; i++) {  // idempotent
    ASSERT_TRUE(Call(&v1::RuntimeService::Stub::StopPodSandbox, stop, "StopPodSandbox").ok());
  }
  EXPECT_EQ(PodStatus(id)->status().state(), v1::SANDBOX_NOTREADY);
  ASSERT_TRUE(RemovePod(id).ok());
  ASSERT_TRUE(RemovePod(id).ok());
  EXPECT_EQ(PodStatus(id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(cni_->AllocatedIps().empty());
}

TEST_F(PodCriTest, BadRequestsNameTheProblem) {
  auto run = Call(&v1::RuntimeService::Stub::RunPodSandbox, v1::RunPodSandboxRequest(),
                  "RunPodSandbox");
  EXPECT_EQ(run.status().code(), absl::StatusCode::kInvalidArgument);
  auto req = PodRequest("sysctl");
  (*req.mutable_config()->mutable_linux()->mutable_sysctls())["kernel.panic"] = "1";
  run = Call(&v1::RuntimeService::Stub::RunPodSandbox, req, "RunPodSandbox");
  EXPECT_EQ(run.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(run.status().message().find("kernel.panic"), std::string::npos) << run.status();
  v1::PodSandboxStatusRequest sr;
  sr.set_pod_sandbox_id("feedface");
  EXPECT_EQ(Call(&v1::RuntimeService::Stub::PodSandboxStatus, sr, "PodSandboxStatus").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace cricket::testing
