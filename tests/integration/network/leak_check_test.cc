// LeakCheck notices what a test leaves behind (mounts, links, iptables).
#include "tests/fixtures/leak_check.h"

#include <unistd.h>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "oci/sys/pinned_ns.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/cni_fixture.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {
namespace {

TEST(LeakCheckTest, SeesAPinnedNamespaceALinkAndAnIptablesChain) {
  CRICKET_REQUIRE_ROOT();
  CRICKET_REQUIRE_PROGRAM(iptables, "iptables");
  std::string tag = absl::StrCat("crkleak", getpid() % 100000);
  LeakCheck check(LeakCheck::Options{{tag}, true});
  EXPECT_EQ(check.Diff(), "");
  auto dir = sys::TempDir::Make(tag + "-");
  ASSERT_TRUE(dir.ok());
  auto ns = sys::PinnedNamespace::Create(sys::NamespaceType::kNet, dir->path(), "ns");
  ASSERT_TRUE(ns.ok()) << ns.status();
  auto link = CniFixture::RunOnHost({"ip", "link", "add", tag, "type", "veth", "peer", "name",
                                     tag + "p"});
  auto chain = CniFixture::RunOnHost({"iptables", "-t", "nat", "-N", tag});
  std::string diff = check.Diff();
  (void)CniFixture::RunOnHost({"ip", "link", "del", tag});
  (void)CniFixture::RunOnHost({"iptables", "-t", "nat", "-X", tag});
  ASSERT_TRUE(link.ok() && link->exit.code() == 0) << (link.ok() ? link->err : "");
  ASSERT_TRUE(chain.ok() && chain->exit.code() == 0) << (chain.ok() ? chain->err : "");
  EXPECT_NE(diff.find("mount + " + ns->path() + " nsfs"), std::string::npos) << diff;
  EXPECT_NE(diff.find("link + " + tag), std::string::npos) << diff;
  EXPECT_NE(diff.find("iptables + nat: :" + tag), std::string::npos) << diff;
  ASSERT_TRUE(ns->Remove().ok());
  EXPECT_EQ(check.Diff(), "");
}

}  // namespace
}  // namespace cricket::testing
