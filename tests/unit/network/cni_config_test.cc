// CNI config parsing and the conf dir choice.
#include "network/cni_config.h"

#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"

namespace cricket::network {
namespace {

constexpr char kList[] = R"({"cniVersion":"1.0.0","name":"net1","disableCheck":true,
  "plugins":[{"type":"bridge","bridge":"cni0"},
             {"type":"portmap","capabilities":{"portMappings":true,"bandwidth":false}}]})";

TEST(CniConfigTest, ParsesConfList) {
  auto net = ParseConfList(kList, "x.conflist");
  ASSERT_TRUE(net.ok()) << net.status();
  EXPECT_EQ(net->name, "net1");
  EXPECT_EQ(net->cni_version, "1.0.0");
  EXPECT_TRUE(net->disable_check);
  ASSERT_EQ(net->plugins.size(), 2u);
  EXPECT_EQ(net->plugins[0].type, "bridge");
  EXPECT_EQ(net->plugins[1].capabilities, std::set<std::string>{"portMappings"});
  EXPECT_EQ(net->plugins[0].conf["bridge"], "cni0");
}

TEST(CniConfigTest, WrapsSingleConf) {
  auto net = ParseConfigFile(R"({"cniVersion":"0.3.1","name":"n","type":"bridge"})", "a.conf");
  ASSERT_TRUE(net.ok()) << net.status();
  EXPECT_EQ(net->name, "n");
  ASSERT_EQ(net->plugins.size(), 1u);
  EXPECT_EQ(net->plugins[0].type, "bridge");
  auto again = ParseConfList(net->bytes, "cache");  // the cached form reads back
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->plugins[0].type, "bridge");
}

TEST(CniConfigTest, JsonChoosesByContent) {
  EXPECT_TRUE(ParseConfigFile(kList, "a.json").ok());
  EXPECT_TRUE(ParseConfigFile(R"({"cniVersion":"0.4.0","name":"n","type":"ptp"})", "b.json").ok());
}

TEST(CniConfigTest, RejectsBadDocuments) {
  struct Case {
    const char* text;
    const char* why;
  } cases[] = {
      {"not json", "not valid JSON"},
      {R"({"cniVersion":"1.0.0","plugins":[{"type":"x"}]})", "name"},
      {R"({"name":"n","plugins":[{"type":"x"}]})", "cniVersion"},
      {R"({"name":"n","cniVersion":"9.9.9","plugins":[{"type":"x"}]})", "unsupported"},
      {R"({"name":"n","cniVersion":"1.0.0","plugins":[]})", "plugins"},
      {R"({"name":"n","cniVersion":"1.0.0","plugins":[{"bridge":"x"}]})", "type"},
      {R"({"name":"n","cniVersion":"1.0.0","plugins":[{"type":"../sh"}]})", "plain name"},
  };
  for (const auto& c : cases) {
    auto net = ParseConfList(c.text, "f.conflist");
    ASSERT_FALSE(net.ok()) << c.text;
    EXPECT_EQ(net.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_NE(net.status().message().find(c.why), absl::string_view::npos) << net.status();
    EXPECT_NE(net.status().message().find("f.conflist"), absl::string_view::npos);
  }
}

TEST(CniConfigTest, Versions) {
  EXPECT_LT(*ParseCniVersion("0.4.0"), *ParseCniVersion("1.0.0"));
  EXPECT_LT(*ParseCniVersion("0.3.1"), *ParseCniVersion("0.4.0"));
  EXPECT_FALSE(ParseCniVersion("1.0").ok());
  EXPECT_FALSE(ParseCniVersion("1.0.0x").ok());
  EXPECT_TRUE(IsKnownCniVersion("1.1.0"));
  EXPECT_FALSE(IsKnownCniVersion("2.0.0"));
}

TEST(CniConfigTest, FirstValidFileByNameWins) {
  auto dir = sys::TempDir::Make("cni-conf-");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("05-bad.conflist"), "{").ok());
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("ignored.txt"), kList).ok());
  ASSERT_TRUE(sys::WriteFileAtomic(
      dir->Sub("20-b.conf"), R"({"cniVersion":"0.4.0","name":"second","type":"ptp"})").ok());
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("10-a.conflist"), kList).ok());
  ConfDirScan scan = ScanConfDir(dir->path());
  ASSERT_EQ(scan.networks.size(), 2u);
  ASSERT_EQ(scan.skipped.size(), 1u);
  EXPECT_NE(scan.skipped[0].path.find("05-bad"), std::string::npos);
  auto net = LoadDefaultNetwork(dir->path());
  ASSERT_TRUE(net.ok());
  EXPECT_EQ(net->name, "net1");
}

TEST(CniConfigTest, EmptyDirIsNotReady) {
  auto dir = sys::TempDir::Make("cni-conf-");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("a.conf"), "[]").ok());
  auto net = LoadDefaultNetwork(dir->path());
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(net.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(net.status().message().find(dir->path()), absl::string_view::npos);
  EXPECT_FALSE(LoadDefaultNetwork(dir->Sub("missing")).ok());
}

}  // namespace
}  // namespace cricket::network
