// The reload's pure half (issue 19): which keys differ between two configs,
// which of them a reload applies, and what is in effect afterwards.
#include <algorithm>
#include <string>
#include <vector>

#include "conf/config.h"
#include "cri/daemon/reload.h"
#include "gtest/gtest.h"

namespace cricket::cri {
namespace {

TEST(ReloadDiff, SameConfigNoChange) {
  EXPECT_TRUE(DiffConfig(conf::Config{}, conf::Config{}).empty());
}

TEST(ReloadDiff, NamesEachChangedKeyLiveOrRestart) {
  conf::Config a, b;
  b.log_level = "debug";
  b.image.pinned_images = {"registry.k8s.io/pause:3.9"};
  b.runtime.default_capabilities = {"CHOWN"};
  b.runtime.default_ulimits = {{"nofile", 1024, 2048}};
  b.runtime.seccomp_profile = "/etc/cricket/seccomp.json";
  b.runtime.log_size_max = 65536;
  b.registries.auth_file = "/etc/cricket/auth.json";
  b.registries.hosts["docker.io"].mirrors = {"mirror.test:5000"};
  b.streaming.port = 10010;
  b.cgroup.driver = "systemd";
  b.image.pull_parallelism = 5;
  std::vector<KeyChange> want = {
      {"cgroup.driver", false},
      {"image.pinned_images", true},
      {"image.pull_parallelism", false},
      {"log_level", true},
      {"registries.auth_file", true},
      {"registries.hosts[\"docker.io\"]", true},
      {"runtime.default_capabilities", true},
      {"runtime.default_ulimits", true},
      {"runtime.log_size_max", true},
      {"runtime.seccomp_profile", true},
      {"streaming.port", false},
  };
  EXPECT_EQ(DiffConfig(a, b), want);
}

TEST(ReloadDiff, ARegistryEntryIsOneKeyWhenAddedChangedOrRemoved) {
  conf::Config a, b;
  b.registries.hosts["quay.io"].insecure = true;
  EXPECT_EQ(DiffConfig(a, b), (std::vector<KeyChange>{{"registries.hosts[\"quay.io\"]", true}}));
  EXPECT_EQ(DiffConfig(b, a), (std::vector<KeyChange>{{"registries.hosts[\"quay.io\"]", true}}));
  conf::Config c = b;
  c.registries.hosts["quay.io"].ca_file = "/etc/ca.pem";
  c.registries.hosts["docker.io"] = {};
  EXPECT_EQ(DiffConfig(b, c), (std::vector<KeyChange>{{"registries.hosts[\"docker.io\"]", true},
                                                      {"registries.hosts[\"quay.io\"]", true}}));
}

TEST(ReloadDiff, LiveKeys) {
  for (const char* k : {"log_level", "registries.auth_file", "registries.hosts[\"x\"]",
                        "registries.certs_dir", "image.pinned_images", "runtime.seccomp_profile"}) {
    EXPECT_TRUE(IsLiveKey(k)) << k;
  }
  for (const char* k : {"socket_path", "root_dir", "runtime.pids_limit", "runtime.monitor_path",
                        "image.max_layers", "log_level_x", "registries", "cni.conf_dir"}) {
    EXPECT_FALSE(IsLiveKey(k)) << k;
  }
}

// After a reload the live keys are the file's, the restart-only ones the
// running daemon's: a second reload of the same file names only those.
TEST(ReloadDiff, MergeTakesLiveKeysOnly) {
  conf::Config running, loaded;
  loaded.log_level = "warn";
  loaded.image.pinned_images = {"quay.io/*"};
  loaded.registries.hosts["quay.io"].insecure = true;
  loaded.runtime.default_capabilities = {"KILL"};
  loaded.runtime.default_ulimits = {{"core", -1, -1}};
  loaded.runtime.seccomp_profile = "/p.json";
  loaded.runtime.log_size_max = 8192;
  loaded.socket_path = "/run/other.sock";
  loaded.metrics.enabled = true;
  conf::Config next = MergeLive(running, loaded);
  EXPECT_EQ(next.socket_path, running.socket_path);
  EXPECT_EQ(next.metrics, running.metrics);
  std::vector<KeyChange> left = DiffConfig(next, loaded);
  EXPECT_EQ(left, (std::vector<KeyChange>{{"metrics.enabled", false}, {"socket_path", false}}));
  // Every live key changed here is one MergeLive carried over.
  for (const KeyChange& ch : DiffConfig(running, loaded)) {
    if (ch.live) EXPECT_EQ(std::count(left.begin(), left.end(), ch), 0) << ch.key;
  }
}

}  // namespace
}  // namespace cricket::cri
