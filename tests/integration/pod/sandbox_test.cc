// Pod sandboxes on the real kernel with Debian's CNI plugins: pinned
// namespaces, a bridge network, the pod's files, retries, failure rollback,
// restart recovery and many pods at once — and nothing left behind.
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "network/network_manager.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/scoped_mount.h"
#include "oci/sys/temp_dir.h"
#include "pod/record_store.h"
#include "pod/sandbox_manager.h"
#include "tests/fixtures/cni_fixture.h"
#include "tests/fixtures/leak_check.h"
#include "tests/fixtures/partners.h"

namespace cricket::pod {
namespace {

using cricket::testing::CniFixture;
using cricket::testing::LeakCheck;
using runtime::v1::NamespaceMode;

runtime::v1::PodSandboxConfig PodConfig(const std::string& name, uint32_t attempt = 0) {
  runtime::v1::PodSandboxConfig c;
  c.mutable_metadata()->set_name(name);
  c.mutable_metadata()->set_namespace_("default");
  c.mutable_metadata()->set_uid("uid-" + name);
  c.mutable_metadata()->set_attempt(attempt);
  c.set_hostname(name);
  (*c.mutable_labels())["app"] = name;
  c.mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      NamespaceMode::CONTAINER);
  return c;
}

class SandboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    auto cni = CniFixture::Make();
    if (!cni.ok()) {
      if (cricket::testing::InCI()) FAIL() << cni.status();
      GTEST_SKIP() << cni.status();
    }
    cni_ = std::move(*cni);
    ASSERT_TRUE(cni_->WriteConfList().ok());
    auto dir = sys::TempDir::Make("cricket-pod-test-");
    ASSERT_TRUE(dir.ok());
    dir_ = std::move(*dir);
    leaks_ = std::make_unique<LeakCheck>(LeakCheck::Options{
        {dir_.path(), cni_->bridge(), "CNI-", "veth"}, true});
    conf::Config::Cni cc;
    cc.conf_dir = cni_->conf_dir();
    cc.bin_dirs = cni_->bin_dirs();
    cc.cache_dir = cni_->cache_dir();
    cc.timeout_seconds = 30;
    cni_config_ = cc;
    Restart();
  }

  // A new manager over the same directories: what a cricketd restart sees.
  void Restart() {
    sandboxes_.reset();
    network_ = std::make_unique<network::NetworkManager>(cni_config_);
    records_ = std::make_unique<RecordStore>(dir_.Sub("root/records"));
    SandboxManager::Options o;
    o.paths = {dir_.Sub("root"), dir_.Sub("state")};
    o.shm_size_bytes = 1 << 20;
    sandboxes_ = std::make_unique<SandboxManager>(o, network_.get(), records_.get());
    ASSERT_TRUE(sandboxes_->Recover().ok());
  }

  void TearDown() override {
    if (sandboxes_) {
      for (const auto& sb : sandboxes_->List({})) EXPECT_TRUE(sandboxes_->Remove(PodId(sb.id)).ok());
    }
    sandboxes_.reset();
    if (cni_) {
      EXPECT_TRUE(cni_->Cleanup().ok());
      EXPECT_TRUE(cni_->AllocatedIps().empty());
    }
    if (leaks_) leaks_->ExpectNoLeaks();
  }

  bool Ping(const std::string& from_netns, const std::string& ip) {
    std::vector<std::string> argv = {"/bin/busybox", "ping", "-c1", "-W2", ip};
    auto r = from_netns.empty() ? CniFixture::RunOnHost(argv) : cni_->RunInNetns(from_netns, argv);
    return r.ok() && r->exit.code() == 0;
  }

  std::unique_ptr<CniFixture> cni_;
  sys::TempDir dir_;
  conf::Config::Cni cni_config_;
  std::unique_ptr<LeakCheck> leaks_;
  std::unique_ptr<network::NetworkManager> network_;
  std::unique_ptr<RecordStore> records_;
  std::unique_ptr<SandboxManager> sandboxes_;
};

TEST_F(SandboxTest, RunReachStopRemove) {
  auto cfg = PodConfig("web");
  cfg.mutable_dns_config()->add_servers("10.96.0.10");
  cfg.mutable_dns_config()->add_searches("default.svc.cluster.local");
  auto id = sandboxes_->Run(cfg, "");
  ASSERT_TRUE(id.ok()) << id.status();
  auto sb = sandboxes_->Get(*sandboxes_->Resolve(id->str().substr(0, 12)));  // prefixes resolve
  ASSERT_TRUE(sb.ok());
  EXPECT_EQ(sb->state(), SandboxState::kReady);
  EXPECT_EQ(sb->ip.rfind(cni_->subnet().substr(0, cni_->subnet().size() - 4), 0), 0u) << sb->ip;
  EXPECT_TRUE(Ping("", sb->ip));
  auto hn = CniFixture::RunOnHost({"nsenter", "--uts=" + sb->uts_ns_path, "hostname"});
  ASSERT_TRUE(hn.ok());
  EXPECT_EQ(hn->out, "web\n");
  EXPECT_EQ(*sys::ReadFile(sb->resolv_path),
            "search default.svc.cluster.local\nnameserver 10.96.0.10\n");
  EXPECT_NE(sys::ReadFile(sb->hosts_path)->find(sb->ip + "\tweb\n"), std::string::npos);
  EXPECT_TRUE(sys::IsMountPoint(sb->shm_path));

  ASSERT_TRUE(sandboxes_->Stop(*id).ok());
  ASSERT_TRUE(sandboxes_->Stop(*id).ok());  // idempotent
  EXPECT_EQ(sandboxes_->Get(*id)->state(), SandboxState::kNotReady);
  EXPECT_FALSE(sys::PathExists(sb->netns_path));
  EXPECT_TRUE(cni_->AllocatedIps().empty());
  ASSERT_TRUE(sandboxes_->Remove(*id).ok());
  ASSERT_TRUE(sandboxes_->Remove(*id).ok());  // idempotent
  EXPECT_EQ(sandboxes_->Get(*id).status().code(), absl::StatusCode::kNotFound);
  EXPECT_FALSE(sys::PathExists(dir_.Sub("state/pods/" + id->str())));
}

TEST_F(SandboxTest, RetryFindsThePodAndNewAttemptMakesAnother) {
  auto a = sandboxes_->Run(PodConfig("retry"), "");
  auto b = sandboxes_->Run(PodConfig("retry"), "");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(*a, *b);
  auto c = sandboxes_->Run(PodConfig("retry", 1), "");
  ASSERT_TRUE(c.ok());
  EXPECT_NE(*a, *c);
  ASSERT_TRUE(sandboxes_->Stop(*a).ok());
  auto d = sandboxes_->Run(PodConfig("retry"), "");
  EXPECT_EQ(d.status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_NE(d.status().message().find(a->str()), absl::string_view::npos);
}

TEST_F(SandboxTest, TwoPodsReachEachOther) {
  auto a = sandboxes_->Run(PodConfig("a"), "");
  auto b = sandboxes_->Run(PodConfig("b"), "");
  ASSERT_TRUE(a.ok() && b.ok());
  auto sa = *sandboxes_->Get(*a), sb = *sandboxes_->Get(*b);
  EXPECT_NE(sa.ip, sb.ip);
  EXPECT_TRUE(Ping(sa.netns_path, sb.ip));
  EXPECT_TRUE(Ping(sb.netns_path, sa.ip));
  SandboxFilter f;
  f.labels = {{"app", "a"}};
  ASSERT_EQ(sandboxes_->List(f).size(), 1u);
  EXPECT_EQ(sandboxes_->List(f)[0].id, a->str());
}

TEST_F(SandboxTest, FailingPluginLeavesNothingAndRetrySucceeds) {
  ASSERT_TRUE(cni_->FailNth("bridge", "ADD", 1, /*after_real=*/true).ok());
  auto id = sandboxes_->Run(PodConfig("flaky"), "");
  ASSERT_FALSE(id.ok());
  EXPECT_NE(id.status().message().find("bridge"), absl::string_view::npos) << id.status();
  EXPECT_TRUE(sandboxes_->List({}).empty());
  EXPECT_TRUE(cni_->AllocatedIps().empty());
  EXPECT_TRUE(sys::ListDir(dir_.Sub("state/pods")).value_or(std::vector<std::string>{}).empty());
  ASSERT_TRUE(cni_->ClearFailpoints().ok());
  auto again = sandboxes_->Run(PodConfig("flaky"), "");
  ASSERT_TRUE(again.ok()) << again.status();
}

TEST_F(SandboxTest, RestartRecoversPodsWithoutNewAdd) {
  auto id = sandboxes_->Run(PodConfig("survivor"), "");
  ASSERT_TRUE(id.ok());
  std::string ip = sandboxes_->Get(*id)->ip;
  std::string adds_before = cni_->LastStdin("bridge", "ADD");
  Restart();
  auto sb = sandboxes_->Get(*id);
  ASSERT_TRUE(sb.ok()) << sb.status();
  EXPECT_EQ(sb->state(), SandboxState::kReady);
  EXPECT_EQ(sb->ip, ip);
  EXPECT_TRUE(Ping("", ip));
  EXPECT_EQ(*sandboxes_->Run(PodConfig("survivor"), ""), *id);  // the name survived too
  EXPECT_EQ(cni_->LastStdin("bridge", "ADD"), adds_before);
}

TEST_F(SandboxTest, HostNetworkPodSkipsCni) {
  auto cfg = PodConfig("hostnet");
  cfg.mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_network(
      NamespaceMode::NODE);
  auto id = sandboxes_->Run(cfg, "");
  ASSERT_TRUE(id.ok()) << id.status();
  auto sb = sandboxes_->Get(*id);
  EXPECT_TRUE(sb->netns_path.empty());
  EXPECT_TRUE(sb->ip.empty());
  EXPECT_TRUE(cni_->AllocatedIps().empty());
}

TEST_F(SandboxTest, BadRequestsFailCleanly) {
  auto cfg = PodConfig("sysctl");
  (*cfg.mutable_linux()->mutable_sysctls())["kernel.panic"] = "1";
  auto id = sandboxes_->Run(cfg, "");
  EXPECT_EQ(id.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(id.status().message().find("kernel.panic"), absl::string_view::npos);
  // (A shared pid namespace works now: tests/integration/pod/infra_test.cc.)
  auto bad_cgroup = PodConfig("badcgroup");
  bad_cgroup.mutable_linux()->set_cgroup_parent("relative/path");
  EXPECT_EQ(sandboxes_->Run(bad_cgroup, "").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(sandboxes_->List({}).empty());
  // The name is free again after a failed attempt.
  (*cfg.mutable_linux()->mutable_sysctls()).clear();
  EXPECT_TRUE(sandboxes_->Run(cfg, "").ok());
}

TEST_F(SandboxTest, ThirtyPodsAtOnce) {
  constexpr int kPods = 30;
  std::vector<std::thread> threads;
  std::vector<absl::StatusOr<PodId>> ids(kPods, absl::UnknownError("not run"));
  for (int i = 0; i < kPods; i++) {
    threads.emplace_back([&, i] { ids[i] = sandboxes_->Run(PodConfig("many" + std::to_string(i)), ""); });
  }
  for (auto& t : threads) t.join();
  std::set<std::string> ips;
  for (const auto& id : ids) {
    ASSERT_TRUE(id.ok()) << id.status();
    ips.insert(sandboxes_->Get(*id)->ip);
  }
  EXPECT_EQ(ips.size(), static_cast<size_t>(kPods));
  threads.clear();
  std::vector<absl::Status> removed(kPods);
  for (int i = 0; i < kPods; i++) {
    threads.emplace_back([&, i] { removed[i] = sandboxes_->Remove(*ids[i]); });
  }
  for (auto& t : threads) t.join();
  for (const auto& st : removed) EXPECT_TRUE(st.ok()) << st;
  EXPECT_TRUE(sandboxes_->List({}).empty());
}

}  // namespace
}  // namespace cricket::pod
