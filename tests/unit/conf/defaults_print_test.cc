// Built-in defaults, and printing that reads back to the same Config.
#include <string>

#include "conf/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace cricket::conf {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(ConfDefaults, AreValidAndWhatOperatorsExpect) {
  Config c;
  EXPECT_TRUE(Validate(c).ok()) << Validate(c);
  EXPECT_EQ(c.socket_path, "/run/cricket/cricket.sock");
  EXPECT_EQ(c.root_dir, "/var/lib/cricket");
  EXPECT_EQ(c.state_dir, "/run/cricket");
  EXPECT_EQ(c.log_level, "info");
  EXPECT_EQ(c.cgroup.driver, "cgroupfs");
  EXPECT_EQ(c.cgroup.version, "auto");
  EXPECT_THAT(c.cni.bin_dirs, ElementsAre("/opt/cni/bin", "/usr/lib/cni", "/usr/libexec/cni"));
  EXPECT_EQ(c.registries.certs_dir, "/etc/cricket/certs.d");
  EXPECT_EQ(c.registries.auth_file, "");
  EXPECT_TRUE(c.registries.hosts.empty());
  EXPECT_EQ(c.streaming.port, 0);
  EXPECT_EQ(c.streaming.token_ttl_seconds, 60);
  EXPECT_THAT(c.runtime.default_capabilities,
              ElementsAre("CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "SETGID", "SETUID",
                          "SETPCAP", "NET_BIND_SERVICE", "KILL"));
  EXPECT_EQ(c.runtime.pids_limit, 0);
  EXPECT_THAT(c.runtime.cdi_spec_dirs, ElementsAre("/etc/cdi", "/var/run/cdi"));
  EXPECT_EQ(c.image.pull_parallelism, 3);
  EXPECT_EQ(c.image.max_manifest_bytes, 4 << 20);
  EXPECT_EQ(c.image.min_download_bytes_per_second, 64 << 10);
  EXPECT_EQ(c.image.max_layers, 128);
  EXPECT_EQ(c.image.max_layer_entries, 1 << 20);
  EXPECT_EQ(c.image.max_layer_bytes, int64_t{32} << 30);
  EXPECT_FALSE(c.metrics.enabled);
  EXPECT_EQ(c.metrics.port, 9090);
}

TEST(ConfDefaults, EmptyInputGivesDefaults) {
  for (const char* yaml : {"", "# only a comment\n", "---\n", "{}\n"}) {
    auto c = LoadFromString(yaml, "empty.yaml");
    ASSERT_TRUE(c.ok()) << yaml << ": " << c.status();
    EXPECT_EQ(*c, Config{}) << yaml;
  }
}

// A config that sets something in every kind of field, including strings
// that look like other YAML types.
Config Customised() {
  Config c;
  c.log_level = "debug";
  c.root_dir = "/data/cricket";
  c.cgroup.driver = "systemd";
  c.cni.bin_dirs = {"/usr/local/cni"};
  c.registries.auth_file = "/etc/cricket/auth.json";
  c.registries.hosts["docker.io"].mirrors = {"mirror.example:5000", "https://m2.example/v2"};
  c.registries.hosts["127.0.0.1:5000"].insecure = true;
  c.registries.hosts["[::1]:5000"].ca_file = "/etc/ca.pem";
  c.streaming.address = "::1";
  c.streaming.port = 10010;
  c.runtime.default_capabilities = {};
  c.runtime.default_ulimits = {{"nofile", 1024, 1048576}, {"core", -1, -1}};
  c.runtime.pids_limit = 4096;
  c.runtime.restrict_oom_score_adj = true;
  c.image.max_manifest_bytes = int64_t{1} << 30;
  c.metrics.enabled = true;
  return c;
}

TEST(ConfPrint, ToYamlReadsBackToTheSameConfig) {
  for (const Config& c : {Config{}, Customised()}) {
    std::string yaml = ToYaml(c);
    auto back = LoadFromString(yaml, "printed.yaml");
    ASSERT_TRUE(back.ok()) << back.status() << "\n" << yaml;
    EXPECT_EQ(*back, c) << yaml;
  }
}

TEST(ConfPrint, ToYamlQuotesStrings) {
  Config c;
  c.streaming.tls_cert = "/x/true";
  std::string yaml = ToYaml(c);
  EXPECT_THAT(yaml, HasSubstr("log_level: \"info\""));
  EXPECT_THAT(yaml, HasSubstr("auth_file: \"\""));
  EXPECT_THAT(yaml, HasSubstr("port: 9090"));
}

TEST(ConfPrint, ToJsonHasTheSameKeys) {
  nlohmann::json j = ToJson(Customised());
  EXPECT_EQ(j["log_level"], "debug");
  EXPECT_EQ(j["cgroup"]["driver"], "systemd");
  EXPECT_EQ(j["registries"]["hosts"]["docker.io"]["mirrors"][1], "https://m2.example/v2");
  EXPECT_EQ(j["registries"]["hosts"]["127.0.0.1:5000"]["insecure"], true);
  EXPECT_EQ(j["runtime"]["default_ulimits"][0]["hard"], 1048576);
  EXPECT_EQ(j["runtime"]["default_capabilities"], nlohmann::json::array());
  EXPECT_EQ(j["image"]["max_manifest_bytes"], int64_t{1} << 30);
  EXPECT_EQ(j["metrics"]["enabled"], true);
  EXPECT_EQ(ToJson(Config{})["registries"]["hosts"], nlohmann::json::object());
}

}  // namespace
}  // namespace cricket::conf
