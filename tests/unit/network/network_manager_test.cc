// NetworkManager flows against fake plugins (shell scripts that log their
// calls), so ordering, rollback and the cache are checked without root.
#include "network/network_manager.h"
#include "nlohmann/json.hpp"

#include <sys/stat.h>

#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"

namespace cricket::network {
namespace {

constexpr char kFakePlugin[] = R"(#!/bin/sh
d=$(dirname "$0"); n=$(basename "$0")
in=$(cat)
echo "$CNI_COMMAND $n" >> "$d/calls.log"
printf '%s\n' "$in" > "$d/stdin-$n-$CNI_COMMAND"
printf '%s\n' "$CNI_ARGS" > "$d/args"
if [ -e "$d/fail-$n-$CNI_COMMAND" ]; then
  echo '{"code":7,"msg":"injected","details":"by test"}'; exit 1
fi
if [ "$CNI_COMMAND" = ADD ]; then
  echo '{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"'"$CNI_NETNS"'"}],
    "ips":[{"address":"10.5.0.2/24","interface":0},{"address":"fd00::2/64","interface":0}]}'
fi
)";

class NetworkManagerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = sys::TempDir::Make("cni-nm-");
    ASSERT_TRUE(dir.ok());
    dir_ = std::move(*dir);
    ASSERT_TRUE(sys::MkdirAll(dir_.Sub("bin")).ok());
    ASSERT_TRUE(sys::MkdirAll(dir_.Sub("conf")).ok());
    for (const char* name : {"fake-a", "fake-b", "fake-c"}) {
      ASSERT_TRUE(sys::WriteFileAtomic(Bin(name), kFakePlugin, 0755).ok());
    }
    ASSERT_TRUE(sys::WriteFileAtomic(dir_.Sub("netns"), "").ok());
    conf::Config::Cni cni;
    cni.conf_dir = dir_.Sub("conf");
    cni.bin_dirs = {dir_.Sub("nothing-here"), dir_.Sub("bin")};
    cni.cache_dir = dir_.Sub("cache");
    cni.timeout_seconds = 20;
    manager_ = std::make_unique<NetworkManager>(cni);
    pod_.pod_id = "pod1";
    pod_.name = "web";
    pod_.pod_namespace = "default";
    pod_.uid = "uid-1";
    pod_.netns_path = dir_.Sub("netns");
  }

  std::string Bin(const std::string& f) const { return dir_.Sub("bin") + "/" + f; }
  void WriteConf(const std::string& file, const std::string& name, const std::string& plugins,
                 const std::string& extra = "") {
    std::string doc = R"({"cniVersion":"1.0.0","name":")" + name + "\"," + extra +
                      R"("plugins":[)" + plugins + "]}";
    ASSERT_TRUE(sys::WriteFileAtomic(dir_.Sub("conf/" + file), doc).ok());
  }
  std::string Calls() {
    auto s = sys::ReadFile(Bin("calls.log"));
    (void)sys::WriteFileAtomic(Bin("calls.log"), "");
    return s.ok() ? *s : "";
  }

  sys::TempDir dir_ = std::move(*sys::TempDir::Make("unused-"));
  std::unique_ptr<NetworkManager> manager_;
  PodNetwork pod_;
};

constexpr char kAB[] = R"({"type":"fake-a"},{"type":"fake-b","capabilities":{"dns":true}})";

TEST_F(NetworkManagerTest, NotReadyUntilAConfigAppears) {
  NetworkReadiness r = manager_->Status();
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(r.reason, "NetworkPluginNotReady");
  EXPECT_NE(r.message.find(dir_.Sub("conf")), std::string::npos) << r.message;
  EXPECT_EQ(manager_->SetUp(pod_).status().code(), absl::StatusCode::kFailedPrecondition);
  WriteConf("10-net.conflist", "n1", R"({"type":"missing-plugin"})");
  r = manager_->Status();
  EXPECT_FALSE(r.ready);
  EXPECT_NE(r.message.find("missing-plugin"), std::string::npos) << r.message;
  WriteConf("05-net.conflist", "n0", kAB);  // picked up without a restart
  EXPECT_TRUE(manager_->Status().ready) << manager_->Status().message;
}

TEST_F(NetworkManagerTest, AddRunsTheChainWithPrevResultAndArgs) {
  WriteConf("10-net.conflist", "n1", kAB);
  pod_.dns = DnsSettings{{"10.0.0.10"}, {"svc"}, {}};
  auto res = manager_->SetUp(pod_);
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_EQ(res->primary_ip, "10.5.0.2");
  EXPECT_EQ(res->additional_ips, std::vector<std::string>{"fd00::2"});
  EXPECT_EQ(Calls(), "ADD fake-a\nADD fake-b\n");
  auto b_in = nlohmann::json::parse(*sys::ReadFile(Bin("stdin-fake-b-ADD")));
  EXPECT_EQ(b_in["prevResult"]["ips"][0]["address"], "10.5.0.2/24");
  EXPECT_EQ(b_in["runtimeConfig"]["dns"]["servers"][0], "10.0.0.10");
  EXPECT_EQ(b_in["name"], "n1");
  EXPECT_EQ(*sys::ReadFile(Bin("args")),
            "IgnoreUnknown=1;K8S_POD_NAMESPACE=default;K8S_POD_NAME=web;"
            "K8S_POD_INFRA_CONTAINER_ID=pod1;K8S_POD_UID=uid-1\n");
  // A retry returns the finished result without a second ADD.
  ASSERT_TRUE(manager_->SetUp(pod_).ok());
  EXPECT_EQ(Calls(), "");
  EXPECT_TRUE(manager_->Check(pod_).ok());
  EXPECT_EQ(Calls(), "CHECK fake-a\nCHECK fake-b\n");
  auto cached = manager_->Cached("pod1");
  ASSERT_TRUE(cached.ok());
  EXPECT_EQ(cached->primary_ip, "10.5.0.2");
}

TEST_F(NetworkManagerTest, FailedAddDeletesTheChainInReverse) {
  WriteConf("10-net.conflist", "n1", kAB);
  ASSERT_TRUE(sys::WriteFileAtomic(Bin("fail-fake-b-ADD"), "").ok());
  auto res = manager_->SetUp(pod_);
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.status().message().find("plugin fake-b ADD failed (code 7): injected: by test"),
            absl::string_view::npos) << res.status();
  EXPECT_EQ(res.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Calls(), "ADD fake-a\nADD fake-b\nDEL fake-b\nDEL fake-a\n");
  EXPECT_TRUE(sys::ListDir(dir_.Sub("cache/results"))->empty());
}

TEST_F(NetworkManagerTest, TearDownUsesTheCachedConfigAndIsIdempotent) {
  WriteConf("10-net.conflist", "n1", kAB);
  ASSERT_TRUE(manager_->SetUp(pod_).ok());
  Calls();
  WriteConf("10-net.conflist", "n2", R"({"type":"fake-c"})");  // config changed
  conf::Config::Cni cni = manager_->config();
  NetworkManager restarted(cni);  // a new daemon
  ASSERT_TRUE(restarted.TearDown(pod_).ok());
  EXPECT_EQ(Calls(), "DEL fake-b\nDEL fake-a\n");
  ASSERT_TRUE(restarted.TearDown(pod_).ok());
  EXPECT_EQ(Calls(), "");
  EXPECT_EQ(restarted.Check(pod_).code(), absl::StatusCode::kNotFound);
}

TEST_F(NetworkManagerTest, FailedDelKeepsTheCacheForARetry) {
  WriteConf("10-net.conflist", "n1", kAB);
  ASSERT_TRUE(manager_->SetUp(pod_).ok());
  ASSERT_TRUE(sys::WriteFileAtomic(Bin("fail-fake-b-DEL"), "").ok());
  Calls();
  absl::Status st = manager_->TearDown(pod_);
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(Calls(), "DEL fake-b\nDEL fake-a\n");  // kept going past the failure
  ASSERT_TRUE(sys::RemoveAll(Bin("fail-fake-b-DEL")).ok());
  ASSERT_TRUE(manager_->TearDown(pod_).ok());
  EXPECT_EQ(Calls(), "DEL fake-b\nDEL fake-a\n");
}

TEST_F(NetworkManagerTest, DisableCheckAndGarbageCollect) {
  WriteConf("10-net.conflist", "n1", kAB, R"("disableCheck":true,)");
  ASSERT_TRUE(manager_->SetUp(pod_).ok());
  PodNetwork other = pod_;
  other.pod_id = "pod2";
  ASSERT_TRUE(manager_->SetUp(other).ok());
  Calls();
  EXPECT_TRUE(manager_->Check(pod_).ok());
  EXPECT_EQ(Calls(), "");
  ASSERT_TRUE(manager_->GarbageCollect({"pod2"}).ok());
  EXPECT_EQ(Calls(), "DEL fake-b\nDEL fake-a\n");  // 1.0.0: no GC verb
  EXPECT_FALSE(manager_->Cached("pod1").ok());
  EXPECT_TRUE(manager_->Cached("pod2").ok());
}

TEST_F(NetworkManagerTest, StatusAndGcVerbsFrom110) {
  std::string doc = R"({"cniVersion":"1.1.0","name":"n","plugins":[{"type":"fake-a"}]})";
  ASSERT_TRUE(sys::WriteFileAtomic(dir_.Sub("conf/1.conflist"), doc).ok());
  EXPECT_TRUE(manager_->Status().ready);
  EXPECT_EQ(Calls(), "STATUS fake-a\n");
  ASSERT_TRUE(sys::WriteFileAtomic(Bin("fail-fake-a-STATUS"), "").ok());
  NetworkReadiness r = manager_->Status();
  EXPECT_FALSE(r.ready);
  EXPECT_NE(r.message.find("injected"), std::string::npos);
  Calls();
  ASSERT_TRUE(manager_->GarbageCollect({}).ok());
  EXPECT_EQ(Calls(), "GC fake-a\n");
  auto in = nlohmann::json::parse(*sys::ReadFile(Bin("stdin-fake-a-GC")));
  EXPECT_TRUE(in["cni.dev/valid-attachments"].is_array());
}

TEST_F(NetworkManagerTest, ARetryAfterACrashMidAddDeletesTheHalfDoneAttempt) {
  WriteConf("10-net.conflist", "n1", kAB);
  // What a crash between "cache written" and "ADD finished" leaves.
  CniCache cache(manager_->config().cache_dir);
  auto net = LoadDefaultNetwork(manager_->config().conf_dir);
  ASSERT_TRUE(net.ok());
  ASSERT_TRUE(cache.Save({"n1", "pod1", "eth0", pod_.netns_path, net->bytes, {}, {},
                          nlohmann::json()}).ok());
  ASSERT_TRUE(manager_->SetUp(pod_).ok());
  EXPECT_EQ(Calls(), "DEL fake-b\nDEL fake-a\nADD fake-a\nADD fake-b\n");
}

TEST_F(NetworkManagerTest, AHungPluginHitsTheDeadline) {
  ASSERT_TRUE(sys::WriteFileAtomic(Bin("fake-slow"),
                                   "#!/bin/sh\n[ \"$CNI_COMMAND\" = ADD ] && exec sleep 30\n"
                                   "exit 0\n", 0755).ok());
  WriteConf("10-net.conflist", "n1", R"({"type":"fake-a"},{"type":"fake-slow"})");
  conf::Config::Cni cni = manager_->config();
  cni.timeout_seconds = 1;
  NetworkManager quick(cni);
  auto res = quick.SetUp(pod_);
  ASSERT_FALSE(res.ok());
  EXPECT_EQ(res.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_NE(res.status().message().find("plugin fake-slow ADD"), absl::string_view::npos)
      << res.status();
  EXPECT_EQ(Calls(), "ADD fake-a\nDEL fake-a\n");  // rolled back
}

TEST_F(NetworkManagerTest, BringsLoUpWithTheBuiltInLoopbackNetwork) {
  WriteConf("10-net.conflist", "n1", kAB);
  ASSERT_TRUE(sys::WriteFileAtomic(Bin("loopback"), kFakePlugin, 0755).ok());
  auto res = manager_->SetUp(pod_);
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_EQ(res->network_name, "n1");
  EXPECT_EQ(Calls(), "ADD fake-a\nADD fake-b\nADD loopback\n");
  auto lo_in = nlohmann::json::parse(*sys::ReadFile(Bin("stdin-loopback-ADD")));
  EXPECT_EQ(lo_in["name"], "cni-loopback");
  ASSERT_TRUE(manager_->SetUp(pod_).ok());  // retry: all cached
  EXPECT_EQ(Calls(), "");
  ASSERT_TRUE(manager_->TearDown(pod_).ok());
  std::string calls = Calls();
  EXPECT_NE(calls.find("DEL loopback\n"), std::string::npos) << calls;
  EXPECT_NE(calls.find("DEL fake-b\nDEL fake-a\n"), std::string::npos) << calls;
  // A failing loopback takes the main attachment down with it.
  ASSERT_TRUE(sys::WriteFileAtomic(Bin("fail-loopback-ADD"), "").ok());
  auto failed = manager_->SetUp(pod_);
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("plugin loopback ADD failed"), absl::string_view::npos);
  EXPECT_EQ(Calls(), "ADD fake-a\nADD fake-b\nADD loopback\nDEL loopback\n"
                     "DEL fake-b\nDEL fake-a\n");
  EXPECT_TRUE(sys::ListDir(dir_.Sub("cache/results"))->empty());
}

}  // namespace
}  // namespace cricket::network
