// Pod sandboxes through cricketd over its CRI socket, with Debian's CNI
// plugins: run, status, list, a kill -9 of the daemon and its recovery,
// then stop and remove — nothing left behind.
#include <signal.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "cri/client/client.h"
#include "tests/fixtures/cni_fixture.h"
#include "tests/fixtures/cricketd_fixture.h"
#include "tests/fixtures/leak_check.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {
namespace {

namespace v1 = ::runtime::v1;
namespace client = ::cricket::cri::client;

v1::RunPodSandboxRequest PodRequest(const std::string& name) {
  v1::RunPodSandboxRequest r;
  auto* c = r.mutable_config();
  c->mutable_metadata()->set_name(name);
  c->mutable_metadata()->set_namespace_("e2e");
  c->mutable_metadata()->set_uid("uid-" + name);
  c->set_hostname(name);
  (*c->mutable_labels())["app"] = name;
  c->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      v1::NamespaceMode::CONTAINER);
  return r;
}

class PodCriTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    auto cni = CniFixture::Make();
    if (!cni.ok()) {
      if (InCI()) FAIL() << cni.status();
      GTEST_SKIP() << cni.status();
    }
    cni_ = std::move(*cni);
    ASSERT_TRUE(cni_->WriteConfList().ok());
    leaks_ = std::make_unique<LeakCheck>(
        LeakCheck::Options{{"cricketd-", cni_->bridge(), "CNI-", "veth"}, true});
    std::string yaml = "cni:\n  conf_dir: " + cni_->conf_dir() + "\n  cache_dir: " +
                       cni_->cache_dir() + "\n  bin_dirs:\n";
    for (const auto& d : cni_->bin_dirs()) yaml += "    - " + d + "\n";
    CricketdOptions o;
    o.config_yaml = yaml;
    auto d = CricketdInstance::Start(o);
    ASSERT_TRUE(d.ok()) << d.status();
    daemon_ = std::move(*d);
    Connect(daemon_->endpoint());
  }

  void Connect(const std::string& endpoint) {
    client::ConnectOptions co;
    co.endpoint = endpoint;
    auto c = client::Client::Connect(co);
    ASSERT_TRUE(c.ok()) << c.status();
    client_ = std::move(*c);
  }

  void TearDown() override {
    if (client_) {
      auto list = client_->Call(client_->runtime(), &v1::RuntimeService::Stub::ListPodSandbox,
                                v1::ListPodSandboxRequest(), "ListPodSandbox");
      if (list.ok()) {
        for (const auto& p : list->items()) EXPECT_TRUE(RemovePod(p.id()).ok());
      }
    }
    client_.reset();
    restarted_.reset();
    daemon_.reset();
    if (cni_) {
      EXPECT_TRUE(cni_->Cleanup().ok());
    }
    if (leaks_) leaks_->ExpectNoLeaks();
  }

  absl::Status RemovePod(const std::string& id) {
    v1::RemovePodSandboxRequest r;
    r.set_pod_sandbox_id(id);
    return client_->Call(client_->runtime(), &v1::RuntimeService::Stub::RemovePodSandbox, r,
                         "RemovePodSandbox").status();
  }

  absl::StatusOr<v1::PodSandboxStatusResponse> PodStatus(const std::string& id) {
    v1::PodSandboxStatusRequest r;
    r.set_pod_sandbox_id(id);
    r.set_verbose(true);
    return client_->Call(client_->runtime(), &v1::RuntimeService::Stub::PodSandboxStatus, r,
                         "PodSandboxStatus");
  }

  std::unique_ptr<CniFixture> cni_;
  std::unique_ptr<LeakCheck> leaks_;
  std::unique_ptr<CricketdInstance> daemon_;
  std::unique_ptr<sys::ChildProcess> restarted_;
  std::unique_ptr<client::Client> client_;
};

TEST_F(PodCriTest, LifecycleAndRecoveryAfterKill9) {
  auto status = client_->Status(false);
  ASSERT_TRUE(status.ok());
  bool net_ready = false;
  for (const auto& c : status->status().conditions()) {
    if (c.type() == "NetworkReady") net_ready = c.status();
  }
  EXPECT_TRUE(net_ready);

  auto run = client_->Call(client_->runtime(), &v1::RuntimeService::Stub::RunPodSandbox,
                           PodRequest("web"), "RunPodSandbox");
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

  // kill -9 the daemon and start a new one on the same dirs and socket.
  ASSERT_TRUE(daemon_->Stop(SIGKILL, std::chrono::seconds(10)).ok());
  sys::SpawnOptions so;
  so.argv = {BuiltProgram("cri/cricketd")};
  so.argv.insert(so.argv.end(), daemon_->args().begin(), daemon_->args().end());
  so.stderr_fd = -2;
  auto again = sys::ChildProcess::Spawn(so);
  ASSERT_TRUE(again.ok()) << again.status();
  restarted_ = std::make_unique<sys::ChildProcess>(std::move(*again));
  // The old socket file is still there until the new daemon replaces it:
  // wait until the new one answers.
  for (int i = 0; i < 100; i++) {
    Connect(daemon_->endpoint());
    if (client_ && client_->Version().ok()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  st = PodStatus(id.substr(0, 10));
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_EQ(st->status().state(), v1::SANDBOX_READY);
  EXPECT_EQ(st->status().network().ip(), ip);

  v1::ListPodSandboxRequest lr;
  (*lr.mutable_filter()->mutable_label_selector())["app"] = "web";
  auto list = client_->Call(client_->runtime(), &v1::RuntimeService::Stub::ListPodSandbox, lr,
                            "ListPodSandbox");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->items_size(), 1);
  EXPECT_EQ(list->items(0).id(), id);

  v1::StopPodSandboxRequest stop;
  stop.set_pod_sandbox_id(id);
  for (int i = 0; i < 2; i++) {  // idempotent
    ASSERT_TRUE(client_->Call(client_->runtime(), &v1::RuntimeService::Stub::StopPodSandbox, stop,
                              "StopPodSandbox").ok());
  }
  EXPECT_EQ(PodStatus(id)->status().state(), v1::SANDBOX_NOTREADY);
  ASSERT_TRUE(RemovePod(id).ok());
  ASSERT_TRUE(RemovePod(id).ok());
  EXPECT_EQ(PodStatus(id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(cni_->AllocatedIps().empty());
}

}  // namespace
}  // namespace cricket::testing
