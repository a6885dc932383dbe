// /proc/net/dev parsing.
#include "pod/stats_netdev.h"

#include <gtest/gtest.h>

namespace cricket::pod {
namespace {

constexpr char kNetDev[] =
    "Inter-|   Receive                                                |  Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
    "drop fifo colls carrier compressed\n"
    "    lo:     840      10    0    0    0     0          0         0      840      10    0    "
    "0    0     0       0          0\n"
    "  eth0:  123456     100    3    0    0     0          0         0    65432      90    4    "
    "0    0     0       0          0\n"
    "  net1:1000 1 0 0 0 0 0 0 2000 2 1 0 0 0 0 0\n";

TEST(ParseNetDev, InterfacesWithoutLoopback) {
  auto r = ParseNetDev(kNetDev);
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].name, "eth0");
  EXPECT_EQ((*r)[0].rx_bytes, 123456u);
  EXPECT_EQ((*r)[0].rx_errors, 3u);
  EXPECT_EQ((*r)[0].tx_bytes, 65432u);
  EXPECT_EQ((*r)[0].tx_errors, 4u);
  EXPECT_EQ((*r)[1].name, "net1");  // no space after the colon on big counters
  EXPECT_EQ((*r)[1].rx_bytes, 1000u);
  EXPECT_EQ((*r)[1].tx_errors, 1u);
}

TEST(ParseNetDev, EmptyAndMalformed) {
  auto empty = ParseNetDev("");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  auto bad = ParseNetDev("  eth0: 1 2 3\n");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(std::string(bad.status().message()).find("eth0"), std::string::npos);
}

TEST(ReadNetDevInNetns, MissingNamespaceFileIsAnError) {
  auto r = ReadNetDevInNetns("/nonexistent/netns/x");
  EXPECT_FALSE(r.ok());
  EXPECT_NE(std::string(r.status().message()).find("/nonexistent/netns/x"), std::string::npos);
}

}  // namespace
}  // namespace cricket::pod
