// The CNI cache round trip and runtimeConfig / stdin / error building.
#include "gtest/gtest.h"
#include "network/cni_cache.h"
#include "network/cni_exec.h"
#include "network/runtime_config.h"
#include "oci/sys/temp_dir.h"

namespace cricket::network {
namespace {

using nlohmann::json;

TEST(CniCacheTest, SaveLoadListRemove) {
  auto dir = sys::TempDir::Make("cni-cache-");
  ASSERT_TRUE(dir.ok());
  CniCache cache(dir->Sub("cache"));
  CacheEntry e{"net", "pod1", "eth0", "/run/ns/x", R"({"name":"net"})",
               {{"K8S_POD_NAME", "a"}}, json{{"dns", {{"servers", {"1.1.1.1"}}}}}, json()};
  ASSERT_TRUE(cache.Save(e).ok());
  CacheEntry other = e;
  other.container_id = "pod2";
  ASSERT_TRUE(cache.Save(other).ok());
  auto got = cache.Load("net", "pod1", "eth0");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->netns, "/run/ns/x");
  EXPECT_EQ(got->cni_args, e.cni_args);
  EXPECT_TRUE(got->result.is_null());
  EXPECT_EQ(cache.ForContainer("pod1").size(), 1u);
  EXPECT_EQ(cache.All().size(), 2u);
  ASSERT_TRUE(cache.Remove(e).ok());
  ASSERT_TRUE(cache.Remove(e).ok());  // idempotent
  EXPECT_EQ(cache.Load("net", "pod1", "eth0").status().code(), absl::StatusCode::kNotFound);
  e.container_id = "../x";
  EXPECT_EQ(cache.Save(e).code(), absl::StatusCode::kInvalidArgument);
}

TEST(RuntimeConfigTest, FiltersByCapability) {
  RuntimeConfig rc;
  rc.port_mappings = {{8080, 80, "TCP", "10.0.0.1"}, {0, 53, "udp", ""}};
  rc.dns = DnsSettings{{"10.0.0.10"}, {"svc.local"}, {"ndots:5"}};
  ASSERT_TRUE(ValidateRuntimeConfig(rc).ok());
  ASSERT_EQ(rc.port_mappings.size(), 1u);  // host port 0 dropped
  json pm = RuntimeConfigFor(rc, {"portMappings"});
  EXPECT_EQ(pm, json::parse(R"({"portMappings":[{"hostPort":8080,"containerPort":80,
                                 "protocol":"tcp","hostIP":"10.0.0.1"}]})"));
  EXPECT_TRUE(RuntimeConfigFor(rc, {"bandwidth"}).empty());
  EXPECT_EQ(RuntimeConfigFor(rc, {"dns"})["dns"]["servers"][0], "10.0.0.10");
  RuntimeConfig back = RuntimeConfigFromJson(RuntimeConfigToJson(rc));
  EXPECT_EQ(back.port_mappings, rc.port_mappings);
  EXPECT_EQ(back.dns, rc.dns);
}

TEST(RuntimeConfigTest, RejectsBadPorts) {
  RuntimeConfig a;
  a.port_mappings = {{70000, 80, "tcp", ""}};
  EXPECT_FALSE(ValidateRuntimeConfig(a).ok());
  RuntimeConfig b;
  b.port_mappings = {{80, 80, "icmp", ""}};
  EXPECT_FALSE(ValidateRuntimeConfig(b).ok());
  RuntimeConfig c;
  c.port_mappings = {{80, 80, "tcp", "localhost"}};
  EXPECT_FALSE(ValidateRuntimeConfig(c).ok());
}

// A pod name such as "x;K8S_POD_NAMESPACE=kube-system" would have added an
// argument of its own to CNI_ARGS (plugins take the last value of a key).
TEST(CniExecTest, ArgsRefuseSeparatorsInValues) {
  for (const std::string& bad : {std::string("x;K8S_POD_NAMESPACE=kube-system"), std::string("a=b"),
                                 std::string("n\0ul", 4)}) {
    auto args = FormatCniArgs({{"K8S_POD_NAME", bad}});
    EXPECT_EQ(args.status().code(), absl::StatusCode::kInvalidArgument)
        << (args.ok() ? *args : args.status().ToString());
    EXPECT_NE(args.status().message().find("K8S_POD_NAME"), std::string::npos) << args.status();
  }
  EXPECT_FALSE(FormatCniArgs({{"K;EY", "v"}}).ok());
}

TEST(CniExecTest, ArgsAndStdin) {
  EXPECT_EQ(FormatCniArgs({{"K8S_POD_NAME", "a"}, {"K8S_POD_UID", "u"}}).value(),
            "IgnoreUnknown=1;K8S_POD_NAME=a;K8S_POD_UID=u");
  NetworkConfigList net;
  net.name = "n";
  net.cni_version = "1.0.0";
  PluginConf p{"portmap", {"portMappings"}, json{{"type", "portmap"}}};
  json in = PluginStdin(net, p, json{{"ips", json::array()}}, json{{"portMappings", 1}});
  EXPECT_EQ(in["name"], "n");
  EXPECT_EQ(in["cniVersion"], "1.0.0");
  EXPECT_TRUE(in.contains("prevResult"));
  EXPECT_EQ(in["runtimeConfig"]["portMappings"], 1);
  json first = PluginStdin(net, p, json(), json::object());
  EXPECT_FALSE(first.contains("prevResult"));
  EXPECT_FALSE(first.contains("runtimeConfig"));
}

TEST(CniExecTest, ErrorsNameThePlugin) {
  absl::Status st = PluginError("bridge", "ADD", 1,
                                R"({"code":11,"msg":"busy","details":"try later"})", "");
  EXPECT_EQ(st.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(st.message(), "plugin bridge ADD failed (code 11): busy: try later");
  st = PluginError("portmap", "DEL", 2, "garbage", "iptables: not found");
  EXPECT_EQ(st.code(), absl::StatusCode::kUnknown);
  EXPECT_NE(st.message().find("portmap DEL failed (exit 2): iptables"), absl::string_view::npos);
  EXPECT_EQ(PluginError("x", "ADD", 1, R"({"code":4,"msg":"bad"})", "").code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(FindPlugin("no-such-plugin", {"/nonexistent"}).status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace cricket::network
