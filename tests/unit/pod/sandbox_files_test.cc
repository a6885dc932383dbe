// Pod /etc files, sysctl namespacing, and the sandbox record round trip.
#include <gtest/gtest.h>

#include "nlohmann/json.hpp"
#include "pod/etc_files.h"
#include "pod/sandbox.h"

namespace cricket::pod {
namespace {

TEST(EtcFilesTest, HostsNameThePod) {
  std::string hosts = HostsFile("web-0", {"10.88.0.5", "fd00::5"});
  EXPECT_NE(hosts.find("127.0.0.1\tlocalhost\n"), std::string::npos);
  EXPECT_NE(hosts.find("10.88.0.5\tweb-0\n"), std::string::npos);
  EXPECT_NE(hosts.find("fd00::5\tweb-0\n"), std::string::npos);
  EXPECT_EQ(HostnameFile("web-0"), "web-0\n");
}

TEST(EtcFilesTest, ResolvConfFromDnsConfigOrHost) {
  runtime::v1::DNSConfig dns;
  EXPECT_EQ(ResolvConf(dns, "nameserver 1.2.3.4\n"), "nameserver 1.2.3.4\n");
  dns.add_servers("10.96.0.10");
  dns.add_searches("default.svc.cluster.local");
  dns.add_searches("svc.cluster.local");
  dns.add_options("ndots:5");
  EXPECT_EQ(ResolvConf(dns, "ignored"),
            "search default.svc.cluster.local svc.cluster.local\n"
            "nameserver 10.96.0.10\noptions ndots:5\n");
}

TEST(SysctlTest, OnlyNamespacedOnes) {
  struct Case {
    std::string key;
    bool host_net, host_ipc, ok;
  } cases[] = {
      {"net.ipv4.ip_forward", false, false, true},
      {"net/ipv4/ping_group_range", false, false, true},
      {"kernel.shm_rmid_forced", false, false, true},
      {"kernel.msgmax", false, false, true},
      {"kernel.sem", false, false, true},
      {"fs.mqueue.msg_max", false, false, true},
      {"net.core.somaxconn", true, false, false},
      {"kernel.shmmax", false, true, false},
      {"kernel.panic", false, false, false},
      {"vm.swappiness", false, false, false},
  };
  for (const auto& c : cases) {
    absl::Status st = ValidateSysctls({{c.key, "1"}}, c.host_net, c.host_ipc);
    EXPECT_EQ(st.ok(), c.ok) << c.key << ": " << st;
    if (!st.ok()) {
      EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
      EXPECT_NE(st.message().find(c.key), absl::string_view::npos);
    }
  }
}

TEST(SandboxRecordTest, JsonRoundTrip) {
  Sandbox sb;
  sb.id = "abc";
  sb.config.mutable_metadata()->set_name("web");
  sb.config.mutable_metadata()->set_namespace_("default");
  sb.config.mutable_metadata()->set_uid("u1");
  sb.config.mutable_metadata()->set_attempt(2);
  (*sb.config.mutable_labels())["app"] = "web";
  sb.name_key = SandboxNameKey(sb.config.metadata());
  ASSERT_TRUE(sb.TransitionTo(SandboxState::kReady).ok());
  sb.created_at_ns = 123;
  sb.netns_path = "/run/cricket/pods/abc/ns/net";
  sb.ip = "10.88.0.5";
  sb.additional_ips = {"fd00::5"};
  auto back = Sandbox::FromJson(sb.ToJson());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->name_key, "web_default_u1_2");
  EXPECT_EQ(back->state(), SandboxState::kReady);
  EXPECT_EQ(back->config.labels().at("app"), "web");
  EXPECT_EQ(back->additional_ips, sb.additional_ips);
  EXPECT_EQ(back->netns_path, sb.netns_path);
  EXPECT_FALSE(Sandbox::FromJson(nlohmann::json{{"id", "x"}}).ok());
}

}  // namespace
}  // namespace cricket::pod
