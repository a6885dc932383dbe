// CNI result parsing across spec versions, and the choice of pod IPs.
#include "network/cni_result.h"

#include "gtest/gtest.h"

namespace cricket::network {
namespace {

TEST(CniResultTest, Parses100) {
  auto r = ParseCniResultText(R"({"cniVersion":"1.0.0",
    "interfaces":[{"name":"cni0","mac":"aa"},{"name":"veth1","mac":"bb"},
                  {"name":"eth0","mac":"cc","sandbox":"/run/netns/x"}],
    "ips":[{"address":"10.1.0.5/24","gateway":"10.1.0.1","interface":2},
           {"address":"fd00::5/64","interface":2},{"address":"10.9.9.9/24","interface":0}],
    "routes":[{"dst":"0.0.0.0/0"}],
    "dns":{"nameservers":["10.0.0.10"],"search":["svc"],"options":["ndots:5"]}})");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->interfaces.size(), 3u);
  EXPECT_EQ(r->ips[0].gateway, "10.1.0.1");
  EXPECT_EQ(r->routes[0].dst, "0.0.0.0/0");
  EXPECT_EQ(r->dns.nameservers, std::vector<std::string>{"10.0.0.10"});
  EXPECT_EQ(PodIps(*r, "eth0"), (std::vector<std::string>{"10.1.0.5", "fd00::5"}));
}

TEST(CniResultTest, Parses040WithVersionField) {
  auto r = ParseCniResultText(R"({"cniVersion":"0.4.0","interfaces":[{"name":"eth0","sandbox":"/n"}],
    "ips":[{"version":"6","address":"fd00::2/64","interface":0},
           {"version":"4","address":"10.2.0.2/16","interface":0}]})");
  ASSERT_TRUE(r.ok()) << r.status();
  // IPv4 first, whatever the plugin's order.
  EXPECT_EQ(PodIps(*r, "eth0"), (std::vector<std::string>{"10.2.0.2", "fd00::2"}));
}

TEST(CniResultTest, ParsesLegacy020) {
  auto r = ParseCniResultText(R"({"cniVersion":"0.2.0",
    "ip4":{"ip":"10.3.0.7/24","gateway":"10.3.0.1","routes":[{"dst":"10.0.0.0/8"}]},
    "ip6":{"ip":"fd01::7/64"},"dns":{"nameservers":["1.1.1.1"]}})");
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->ips.size(), 2u);
  EXPECT_EQ(r->routes.size(), 1u);
  EXPECT_EQ(PodIps(*r, "eth0"), (std::vector<std::string>{"10.3.0.7", "fd01::7"}));
}

TEST(CniResultTest, RejectsBadResults) {
  EXPECT_FALSE(ParseCniResultText("nope").ok());
  EXPECT_FALSE(ParseCniResultText("[]").ok());
  EXPECT_FALSE(ParseCniResultText(R"({"ips":[{"address":"1.2.3.4/8","interface":3}]})").ok());
  EXPECT_FALSE(ParseCniResultText(R"({"ips":[{"gateway":"1.2.3.4"}]})").ok());
}

}  // namespace
}  // namespace cricket::network
