// CniIntegrationTest: fixture set-up, leak check at the end, small probes.
#include "tests/integration/network/network_test_helpers.h"

#include <sstream>

#include "tests/fixtures/partners.h"

namespace cricket::network {

void CniIntegrationTest::SetUp() {
  CRICKET_REQUIRE_ROOT();
  for (const char* p : {"nsenter", "iptables-save", "busybox", "ip"}) {
    CRICKET_REQUIRE_PROGRAM(path, p);
  }
  leak_ = std::make_unique<testing::LeakCheck>(
      testing::LeakCheck::Options{{"crk", "CNI-", "veth"}, true});
  auto cni = testing::CniFixture::Make(FixtureOptions());
  if (!cni.ok() && testing::InCI()) FAIL() << cni.status();
  if (!cni.ok()) GTEST_SKIP() << cni.status();
  cni_ = std::move(*cni);
  ASSERT_TRUE(cni_->WriteConfList().ok());
  manager_ = NewManager();
}

void CniIntegrationTest::TearDown() {
  manager_.reset();
  if (cni_) {
    absl::Status st = cni_->Cleanup();
    EXPECT_TRUE(st.ok()) << st;
  }
  if (leak_) leak_->ExpectNoLeaks();
}

conf::Config::Cni CniIntegrationTest::CniConfig() const {
  conf::Config::Cni c;
  c.conf_dir = cni_->conf_dir();
  c.bin_dirs = cni_->bin_dirs();
  c.cache_dir = cni_->cache_dir();
  c.timeout_seconds = 60;
  return c;
}

std::unique_ptr<NetworkManager> CniIntegrationTest::NewManager() const {
  return std::make_unique<NetworkManager>(CniConfig());
}

TestPod CniIntegrationTest::MakePod(const std::string& name) {
  TestPod pod;
  std::string id = absl::StrCat("crkpod", getpid(), "-", pods_made_++, "-", name);
  auto ns = sys::PinnedNamespace::Create(sys::NamespaceType::kNet, cni_->netns_dir(), id);
  EXPECT_TRUE(ns.ok()) << ns.status();
  if (ns.ok()) pod.netns = std::move(*ns);
  pod.net.pod_id = id;
  pod.net.name = name;
  pod.net.pod_namespace = "crk-test";
  pod.net.uid = "uid-" + id;
  pod.net.netns_path = pod.netns.path();
  return pod;
}

std::vector<std::string> CniIntegrationTest::CniRules() const {
  return testing::LeakCheck::Take({{"crk", "CNI-"}, true}).iptables;
}

std::vector<std::string> CniIntegrationTest::Veths() const {
  return testing::LeakCheck::Take({{"veth"}, false}).links;
}

bool CniIntegrationTest::LoopbackUp(const std::string& netns) const {
  auto res = cni_->RunInNetns(netns, {"ip", "-o", "link", "show", "lo"});
  return res.ok() && res->out.find(",UP") != std::string::npos;
}

std::string CniIntegrationTest::HttpGet(const std::string& netns, const std::string& host,
                                        int port) const {
  // busybox nc, not busybox wget: Debian 12's static wget crashes here.
  std::vector<std::string> argv = {"busybox", "nc", "-w", "2", host, std::to_string(port)};
  if (!netns.empty()) argv.insert(argv.begin(), {"nsenter", "--net=" + netns, "--"});
  sys::SpawnOptions opts;
  opts.argv = argv;
  opts.env = std::vector<std::string>{"PATH=/usr/sbin:/usr/bin:/sbin:/bin"};
  auto res = sys::RunCommand(opts, "GET /index.html HTTP/1.0\r\n\r\n", std::chrono::seconds(10));
  if (!res.ok() || res->exit.code() != 0) return "";
  size_t body = res->out.find("\r\n\r\n");
  return body == std::string::npos ? "" : res->out.substr(body + 4);
}

}  // namespace cricket::network
