// Load: the main file, drop-ins merged in name order, missing files.
#include <string>

#include "conf/config.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"

namespace cricket::conf {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class LoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = sys::TempDir::Make("cricket-conf-");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_ = std::move(*dir);
    options_.config_file = dir_.Sub("cricket.yaml");
    options_.config_dir = dir_.Sub("cricket.d");
    ASSERT_TRUE(sys::MkdirAll(options_.config_dir).ok());
  }
  void Write(const std::string& path, const std::string& text) {
    ASSERT_TRUE(sys::WriteFileAtomic(path, text).ok()) << path;
  }
  void WriteDropIn(const std::string& name, const std::string& text) {
    Write(options_.config_dir + "/" + name, text);
  }

  sys::TempDir dir_;
  LoadOptions options_;
};

TEST_F(LoadTest, NothingThereGivesDefaults) {
  options_.config_dir = dir_.Sub("no-such-dir");
  auto c = Load(options_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(*c, Config{});
}

TEST_F(LoadTest, ExplicitMissingFileIsNotFound) {
  options_.explicit_file = true;
  auto c = Load(options_);
  ASSERT_EQ(c.status().code(), absl::StatusCode::kNotFound) << c.status();
  EXPECT_THAT(std::string(c.status().message()), HasSubstr(options_.config_file));
}

// Three drop-ins over a main file: applied in name order (not creation
// order), later keys win, sections and the hosts map merge key by key, and
// lists are replaced whole.
TEST_F(LoadTest, DropInsMergeInNameOrder) {
  Write(options_.config_file,
        "log_level: debug\n"
        "cgroup: {driver: systemd}\n"
        "registries:\n"
        "  hosts:\n"
        "    docker.io: {mirrors: [\"m1.example\"], insecure: true}\n");
  WriteDropIn("30-last.yaml",
              "log_level: error\n"
              "cni: {bin_dirs: [/x/bin]}\n"
              "registries: {hosts: {docker.io: {mirrors: [\"m3.example\"]}}}\n");
  WriteDropIn("10-first.yaml",
              "log_level: warn\n"
              "cni: {bin_dirs: [/a, /b, /c]}\n"
              "registries: {hosts: {\"127.0.0.1:5000\": {insecure: true}}}\n");
  WriteDropIn("20-middle.yaml",
              "cgroup: {version: v1}\n"
              "registries: {retries: 7}\n");
  WriteDropIn("05-ignored.yml", "log_level: trace\n");   // not *.yaml
  WriteDropIn(".00-hidden.yaml", "log_level: trace\n");  // editor leftover
  ASSERT_TRUE(sys::MkdirAll(options_.config_dir + "/40-dir.yaml").ok());

  auto c = Load(options_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->log_level, "error");
  EXPECT_EQ(c->cgroup.driver, "systemd");  // from the main file, kept
  EXPECT_EQ(c->cgroup.version, "v1");      // 20 merged into the section
  EXPECT_THAT(c->cni.bin_dirs, ElementsAre("/x/bin"));
  EXPECT_EQ(c->cni.conf_dir, Config{}.cni.conf_dir);
  EXPECT_EQ(c->registries.retries, 7);
  ASSERT_EQ(c->registries.hosts.size(), 2u);
  const Registry& hub = c->registries.hosts.at("docker.io");
  EXPECT_THAT(hub.mirrors, ElementsAre("m3.example"));
  EXPECT_TRUE(hub.insecure);  // from the main file; 30 only replaced mirrors
  EXPECT_TRUE(c->registries.hosts.at("127.0.0.1:5000").insecure);
}

TEST_F(LoadTest, DropInErrorNamesItsFile) {
  WriteDropIn("10-x.yaml", "# comment\n\ncgroup:\n  driver: foo\n");
  auto c = Load(options_);
  ASSERT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(c.status().message(), options_.config_dir +
                                      "/10-x.yaml:4: cgroup.driver: \"foo\" is not one of "
                                      "cgroupfs, systemd");
}

TEST_F(LoadTest, ValidationRunsOnTheMergedResult) {
  Write(options_.config_file, "streaming: {tls_cert: /etc/c.pem}\n");
  EXPECT_FALSE(LoadFromString("streaming: {tls_cert: /etc/c.pem}\n", "x").ok());
  WriteDropIn("10-key.yaml", "streaming: {tls_key: /etc/k.pem}\n");
  auto c = Load(options_);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->streaming.tls_key, "/etc/k.pem");
}

}  // namespace
}  // namespace cricket::conf
