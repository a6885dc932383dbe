// The files shipped in contrib/ agree with the code: the default config is
// the built-in defaults, the unit and the CNI example say what they must.
#include <string>

#include "conf/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "oci/sys/atomic_file.h"

namespace cricket::conf {
namespace {

using ::testing::HasSubstr;

std::string ReadContrib(const std::string& name) {
  auto text = sys::ReadFile(std::string(CRICKET_SOURCE_DIR) + "/contrib/" + name);
  EXPECT_TRUE(text.ok()) << text.status();
  return text.ok() ? *text : "";
}

TEST(Contrib, DefaultConfigFileEqualsBuiltInDefaults) {
  auto c = LoadFromString(ReadContrib("cricket.yaml"), "contrib/cricket.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(*c, Config{}) << "contrib/cricket.yaml and conf/config.h disagree:\n"
                          << ToYaml(*c) << "\nvs\n"
                          << ToYaml(Config{});
}

TEST(Contrib, ServiceUnitHasWhatANodeRuntimeNeeds) {
  std::string unit = ReadContrib("cricket.service");
  for (const char* line :
       {"Type=notify", "ExecStart=/usr/bin/cricketd", "Delegate=yes", "KillMode=process",
        "LimitNOFILE=1048576", "LimitNPROC=infinity", "LimitCORE=infinity", "TasksMax=infinity",
        "OOMScoreAdjust=-999", "Restart=always", "RestartSec=5", "After=network-online.target",
        "WantedBy=multi-user.target"}) {
    EXPECT_THAT(unit, HasSubstr(std::string("\n") + line + "\n"));
  }
}

TEST(Contrib, CniExampleIsABridgeConflist) {
  nlohmann::json j = nlohmann::json::parse(ReadContrib("10-cricket-bridge.conflist"),
                                           /*cb=*/nullptr, /*allow_exceptions=*/false);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_EQ(j["cniVersion"], "1.0.0");
  ASSERT_EQ(j["plugins"].size(), 3u);
  EXPECT_EQ(j["plugins"][0]["type"], "bridge");
  EXPECT_EQ(j["plugins"][0]["bridge"], "cricket0");
  EXPECT_EQ(j["plugins"][0]["ipam"]["ranges"][0][0]["subnet"], "10.88.0.0/16");
  EXPECT_EQ(j["plugins"][1]["type"], "portmap");
  EXPECT_EQ(j["plugins"][2]["type"], "loopback");
}

}  // namespace
}  // namespace cricket::conf
