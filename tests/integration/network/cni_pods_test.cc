// Pods on a real bridge network: addresses, reachability, host ports, DNS
// arguments, CHECK and idempotent teardown.
#include <unistd.h>

#include <chrono>
#include <thread>

#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "tests/integration/network/network_test_helpers.h"

namespace cricket::network {
namespace {

using namespace std::chrono_literals;

class CniPodsTest : public CniIntegrationTest {};

TEST_F(CniPodsTest, TwoPodsGetDistinctIpsAndReachEachOther) {
  TestPod a = MakePod("a"), b = MakePod("b");
  auto ra = manager_->SetUp(a.net);
  ASSERT_TRUE(ra.ok()) << ra.status();
  auto rb = manager_->SetUp(b.net);
  ASSERT_TRUE(rb.ok()) << rb.status();
  EXPECT_NE(ra->primary_ip, rb->primary_ip);
  std::string prefix = cni_->subnet().substr(0, cni_->subnet().rfind('.') + 1);
  EXPECT_EQ(ra->primary_ip.rfind(prefix, 0), 0u) << ra->primary_ip;
  EXPECT_EQ(rb->primary_ip.rfind(prefix, 0), 0u) << rb->primary_ip;
  EXPECT_EQ(cni_->AllocatedIps().size(), 2u);
  EXPECT_TRUE(LoopbackUp(a.net.netns_path));
  auto ping = cni_->RunInNetns(a.net.netns_path,
                               {"busybox", "ping", "-c1", "-W2", rb->primary_ip});
  ASSERT_TRUE(ping.ok());
  EXPECT_EQ(ping->exit.code(), 0) << ping->out << ping->err;
  // The host reaches a pod through its address on the bridge.
  auto host_ping = testing::CniFixture::RunOnHost({"busybox", "ping", "-c1", "-W2",
                                                   ra->primary_ip});
  ASSERT_TRUE(host_ping.ok());
  EXPECT_EQ(host_ping->exit.code(), 0) << host_ping->out << host_ping->err;
  EXPECT_TRUE(manager_->Check(a.net).ok()) << manager_->Check(a.net);
  ASSERT_TRUE(manager_->TearDown(a.net).ok());
  ASSERT_TRUE(manager_->TearDown(b.net).ok());
  EXPECT_TRUE(cni_->AllocatedIps().empty());
}

TEST_F(CniPodsTest, HostReachesAPodServerDirectlyAndThroughAHostPort) {
  TestPod pod = MakePod("web");
  int host_port = 20000 + getpid() % 20000;
  pod.net.port_mappings = {{host_port, 8080, "tcp", cni_->gateway()}};
  auto res = manager_->SetUp(pod.net);
  ASSERT_TRUE(res.ok()) << res.status();
  auto www = sys::TempDir::Make("crk-www-");
  ASSERT_TRUE(www.ok());
  ASSERT_TRUE(sys::WriteFileAtomic(www->Sub("index.html"), "hello from the pod\n").ok());
  sys::SpawnOptions opts;
  opts.argv = {"nsenter", "--net=" + pod.net.netns_path, "--", "busybox", "httpd", "-f",
               "-p", "8080", "-h", www->path()};
  auto server = sys::ChildProcess::Spawn(opts);
  ASSERT_TRUE(server.ok()) << server.status();
  std::string direct;
  for (int i = 0; i < 50 && direct.empty(); ++i) {
    direct = HttpGet("", res->primary_ip, 8080);
    if (direct.empty()) std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(direct, "hello from the pod\n");
  EXPECT_EQ(HttpGet("", cni_->gateway(), host_port), "hello from the pod\n");
  // The portmap rule names the pod and goes with it.
  auto rules = CniRules();
  bool found = false;
  for (const auto& r : rules) found |= r.find(std::to_string(host_port)) != std::string::npos;
  EXPECT_TRUE(found);
  (void)server->Signal(SIGKILL);
  (void)server->Wait();
  ASSERT_TRUE(manager_->TearDown(pod.net).ok());
  for (const auto& r : CniRules()) EXPECT_EQ(r.find(std::to_string(host_port)), std::string::npos);
}

TEST_F(CniPodsTest, PassesDnsAndPodArgumentsToPlugins) {
  TestPod pod = MakePod("dns");
  pod.net.dns = DnsSettings{{"10.96.0.10"}, {"crk-test.svc.cluster.local"}, {"ndots:5"}};
  ASSERT_TRUE(manager_->SetUp(pod.net).ok());
  auto in = nlohmann::json::parse(cni_->LastStdin("bridge", "ADD"));
  EXPECT_EQ(in["runtimeConfig"]["dns"]["servers"][0], "10.96.0.10");
  EXPECT_EQ(in["runtimeConfig"]["dns"]["searches"][0], "crk-test.svc.cluster.local");
  EXPECT_EQ(in["name"], cni_->network_name());
  std::string args = cni_->LastArgs("bridge", "ADD");
  EXPECT_NE(args.find("K8S_POD_NAME=dns;"), std::string::npos) << args;
  EXPECT_NE(args.find("K8S_POD_NAMESPACE=crk-test"), std::string::npos) << args;
  EXPECT_NE(args.find("K8S_POD_INFRA_CONTAINER_ID=" + pod.net.pod_id), std::string::npos);
  ASSERT_TRUE(manager_->TearDown(pod.net).ok());
}

TEST_F(CniPodsTest, TearDownIsIdempotentAndWorksWithoutTheNetns) {
  TestPod a = MakePod("a"), b = MakePod("b");
  ASSERT_TRUE(manager_->SetUp(a.net).ok());
  ASSERT_TRUE(manager_->SetUp(b.net).ok());
  ASSERT_TRUE(manager_->TearDown(a.net).ok());
  ASSERT_TRUE(manager_->TearDown(a.net).ok());
  // The netns went first (a crash, a removed pod): DEL still frees the address.
  ASSERT_TRUE(b.netns.Remove().ok());
  ASSERT_TRUE(manager_->TearDown(b.net).ok());
  ASSERT_TRUE(manager_->TearDown(b.net).ok());
  EXPECT_TRUE(cni_->AllocatedIps().empty());
  TestPod never = MakePod("never");
  EXPECT_TRUE(manager_->TearDown(never.net).ok());
}

TEST_F(CniPodsTest, ReadinessFollowsTheConfDir) {
  EXPECT_TRUE(manager_->Status().ready) << manager_->Status().message;
  ASSERT_TRUE(sys::RemoveAll(cni_->conf_dir()).ok());
  NetworkReadiness r = manager_->Status();
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(r.reason, "NetworkPluginNotReady");
  EXPECT_NE(r.message.find(cni_->conf_dir()), std::string::npos) << r.message;
  ASSERT_TRUE(sys::MkdirAll(cni_->conf_dir()).ok());
  ASSERT_TRUE(cni_->WriteConfList().ok());
  EXPECT_TRUE(manager_->Status().ready);
}

// A conflist without the loopback plugin: the manager brings lo up itself.
class CniNoLoopbackTest : public CniIntegrationTest {
 protected:
  testing::CniFixtureOptions FixtureOptions() const override {
    testing::CniFixtureOptions o;
    o.loopback = false;
    o.cni_version = "0.4.0";
    return o;
  }
};

TEST_F(CniNoLoopbackTest, BuiltInLoopbackAndAnOlderSpecVersion) {
  TestPod pod = MakePod("lo");
  EXPECT_FALSE(LoopbackUp(pod.net.netns_path));
  auto res = manager_->SetUp(pod.net);
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_FALSE(res->primary_ip.empty());
  EXPECT_TRUE(LoopbackUp(pod.net.netns_path));
  EXPECT_TRUE(manager_->Check(pod.net).ok()) << manager_->Check(pod.net);
  ASSERT_TRUE(manager_->TearDown(pod.net).ok());
  EXPECT_TRUE(cni_->AllocatedIps().empty());
  EXPECT_TRUE(sys::ListDir(cni_->cache_dir() + "/results").value_or(std::vector<std::string>{})
                  .empty());
}

}  // namespace
}  // namespace cricket::network
