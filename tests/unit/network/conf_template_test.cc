// The pod CIDR template: placeholders filled, unknown ones and bad CIDRs refused by name.
#include "network/conf_template.h"

#include "gtest/gtest.h"

namespace cricket::network {
namespace {

TEST(ConfTemplate, FillsPodCidrAndRanges) {
  auto r = RenderConfTemplate(R"({"a":"{{.PodCIDR}}","r":[{{ .PodCIDRRanges }}]})",
                              "10.1.0.0/24, fd00:1::/64");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(*r, R"({"a":"10.1.0.0/24","r":[[{"subnet": "10.1.0.0/24"}], [{"subnet": "fd00:1::/64"}]]})");
}

TEST(ConfTemplate, RefusesWhatItCannotFill) {
  auto r = RenderConfTemplate("{{.Routes}}", "10.1.0.0/24");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find(".Routes"), std::string::npos) << r.status();
  EXPECT_FALSE(RenderConfTemplate("{{.PodCIDR", "10.1.0.0/24").ok());
  for (const char* bad : {"10.1.0.0", "10.1.0.0/33", "x/24", "", "10.1.0.0/2a"}) {
    auto b = RenderConfTemplate("{{.PodCIDR}}", bad);
    EXPECT_FALSE(b.ok()) << bad;
    EXPECT_NE(b.status().message().find("pod_cidr"), std::string::npos) << b.status();
  }
}

}  // namespace
}  // namespace cricket::network
