// Failures and restarts: a failing plugin (FailpointCni) leaves nothing
// behind and a retry works; DEL after a restart uses the cache; 30 pods at
// once leak nothing.
#include <algorithm>
#include <thread>

#include "oci/sys/fs.h"
#include "tests/integration/network/network_test_helpers.h"

namespace cricket::network {
namespace {

class CniFailureTest : public CniIntegrationTest {
 protected:
  // portmap makes its shared top-level chains on first use and keeps them;
  // a warm-up pod makes them exist before the "before" snapshot.
  void WarmUp() {
    TestPod w = MakePod("warm");
    w.net.port_mappings = {{31000 + getpid() % 1000, 80, "tcp", cni_->gateway()}};
    ASSERT_TRUE(manager_->SetUp(w.net).ok());
    ASSERT_TRUE(manager_->TearDown(w.net).ok());
  }
};

struct FailCase {
  const char* plugin;
  const char* command;
  bool after_real;
};

TEST_F(CniFailureTest, AFailingPluginLeavesNothingBehindAndARetryWorks) {
  WarmUp();
  const FailCase cases[] = {{"bridge", "ADD", true}, {"portmap", "ADD", true},
                            {"bridge", "ADD", false}};
  for (const FailCase& c : cases) {
    SCOPED_TRACE(absl::StrCat(c.plugin, " ", c.command, c.after_real ? " after" : " before"));
    auto rules = CniRules();
    auto veths = Veths();
    TestPod pod = MakePod("fail");
    pod.net.port_mappings = {{32000 + getpid() % 1000, 80, "tcp", cni_->gateway()}};
    ASSERT_TRUE(cni_->FailNth(c.plugin, c.command, 1, c.after_real).ok());
    auto res = manager_->SetUp(pod.net);
    ASSERT_FALSE(res.ok());
    std::string msg(res.status().message());
    EXPECT_NE(msg.find(absl::StrCat("plugin ", c.plugin, " ADD failed")), std::string::npos) << msg;
    EXPECT_NE(msg.find("failpoint: injected ADD failure"), std::string::npos) << msg;
    EXPECT_TRUE(cni_->AllocatedIps().empty());
    EXPECT_EQ(CniRules(), rules);
    EXPECT_EQ(Veths(), veths);
    EXPECT_TRUE(sys::ListDir(cni_->cache_dir() + "/results").value_or(std::vector<std::string>{}).empty());
    ASSERT_TRUE(cni_->ClearFailpoints().ok());
    auto retry = manager_->SetUp(pod.net);
    ASSERT_TRUE(retry.ok()) << retry.status();
    EXPECT_EQ(cni_->AllocatedIps().size(), 1u);
    ASSERT_TRUE(manager_->TearDown(pod.net).ok());
    EXPECT_EQ(CniRules(), rules);
  }
}

TEST_F(CniFailureTest, AFailedDelIsRetriedByTheNextTearDown) {
  TestPod pod = MakePod("del");
  ASSERT_TRUE(manager_->SetUp(pod.net).ok());
  ASSERT_TRUE(cni_->FailNth("bridge", "DEL", 1, false).ok());
  absl::Status st = manager_->TearDown(pod.net);
  EXPECT_FALSE(st.ok());
  EXPECT_NE(st.message().find("plugin bridge DEL failed"), absl::string_view::npos) << st;
  EXPECT_EQ(cni_->AllocatedIps().size(), 1u);
  ASSERT_TRUE(manager_->TearDown(pod.net).ok());
  EXPECT_TRUE(cni_->AllocatedIps().empty());
}

TEST_F(CniFailureTest, DelAfterARestartAndAConfigChangeUsesTheCache) {
  TestPod pod = MakePod("restart");
  pod.net.port_mappings = {{33000 + getpid() % 1000, 80, "udp", cni_->gateway()}};
  auto res = manager_->SetUp(pod.net);
  ASSERT_TRUE(res.ok()) << res.status();
  manager_.reset();  // the daemon goes away
  ASSERT_TRUE(sys::RemoveAll(cni_->conf_dir()).ok());  // and its config with it
  manager_ = NewManager();
  EXPECT_FALSE(manager_->Status().ready);
  auto cached = manager_->Cached(pod.net.pod_id);
  ASSERT_TRUE(cached.ok()) << cached.status();
  EXPECT_EQ(cached->primary_ip, res->primary_ip);
  PodNetwork bare;  // the pod layer may only know the id, netns and ifname
  bare.pod_id = pod.net.pod_id;
  bare.netns_path = pod.net.netns_path;
  ASSERT_TRUE(manager_->TearDown(bare).ok());
  EXPECT_TRUE(cni_->AllocatedIps().empty());
  for (const auto& r : CniRules()) EXPECT_EQ(r.find(pod.net.pod_id), std::string::npos) << r;
}

TEST_F(CniFailureTest, ThirtyPodsSetUpAndTornDownConcurrently) {
  constexpr int kPods = 30;
  std::vector<TestPod> pods;
  for (int i = 0; i < kPods; ++i) pods.push_back(MakePod(absl::StrCat("p", i)));
  for (int i = 0; i < kPods; i += 3) {
    pods[i].net.port_mappings = {{34000 + getpid() % 1000 + i, 80, "tcp", cni_->gateway()}};
  }
  std::vector<absl::StatusOr<PodNetworkResult>> results(kPods, absl::UnknownError("not run"));
  std::vector<std::thread> threads;
  for (int i = 0; i < kPods; ++i) {
    threads.emplace_back([&, i] { results[i] = manager_->SetUp(pods[i].net); });
  }
  for (auto& t : threads) t.join();
  std::vector<std::string> ips;
  for (auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    ips.push_back(r->primary_ip);
  }
  std::sort(ips.begin(), ips.end());
  EXPECT_EQ(std::unique(ips.begin(), ips.end()), ips.end());
  EXPECT_EQ(cni_->AllocatedIps().size(), static_cast<size_t>(kPods));
  threads.clear();
  std::vector<absl::Status> downs(kPods);
  for (int i = 0; i < kPods; ++i) {
    threads.emplace_back([&, i] {
      downs[i] = manager_->TearDown(pods[i].net);
      if (downs[i].ok()) downs[i] = pods[i].netns.Remove();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& st : downs) EXPECT_TRUE(st.ok()) << st;
  EXPECT_TRUE(cni_->AllocatedIps().empty());
}

}  // namespace
}  // namespace cricket::network
