// `cricketd check` against fake /proc trees and temp CNI dirs: each problem
// gives a FAIL (or warn) line naming it, found by the CheckHost() of the layer
// that owns the fact; the command line knows `check`.
#include "cri/daemon/check.h"

#include <sys/stat.h>

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "image/host_check.h"
#include "network/host_check.h"
#include "oci/cgroup/host_check.h"
#include "oci/host_check.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "pod/host_check.h"

namespace cricket::cri {
namespace {

using ::testing::HasSubstr;

constexpr char kStatus[] = "Name:\tcricketd\nSeccomp:\t0\nSeccomp_filters:\t0\n";
constexpr char kMountinfo[] = "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n";

// A /proc with what a good node has; tests spoil one file each.
class FakeProc : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = sys::TempDir::Make("check-test-");
    ASSERT_TRUE(d.ok()) << d.status();
    dir_ = std::move(*d);
    paths_.proc = dir_.Sub("proc");
    paths_.modules = dir_.Sub("modules");
    ASSERT_TRUE(sys::MkdirAll(paths_.proc + "/self/ns").ok());
    for (const char* ns : {"mnt", "uts", "ipc", "net", "pid", "cgroup", "user"}) {
      Write("self/ns/" + std::string(ns), "");
    }
    Write("filesystems", "nodev\tsysfs\n\text4\nnodev\toverlay\n");
    Write("self/status", kStatus);
    Write("self/mountinfo", kMountinfo);
  }
  void Write(const std::string& rel, const std::string& text) {
    ASSERT_TRUE(sys::WriteFileAtomic(paths_.proc + "/" + rel, text).ok());
  }
  // The result named `name` other than the privileges line (which depends on
  // who runs us), from the checks that need no config: oci's and image's.
  CheckResult Find(const std::string& name) {
    std::vector<CheckResult> all =
        oci::CheckHost({paths_.proc, paths_.cgroup_root, paths_.systemd_run}, std::nullopt);
    for (auto& r : image::CheckHost({paths_.proc, paths_.modules, ""})) all.push_back(r);
    for (const CheckResult& r : all) {
      if (r.name == name) return r;
    }
    ADD_FAILURE() << "no check named " << name;
    return {};
  }

  sys::TempDir dir_;
  NodePaths paths_;
};

TEST_F(FakeProc, AGoodNodePasses) {
  EXPECT_EQ(Find("overlayfs").level, CheckLevel::kOk);
  EXPECT_EQ(Find("namespaces").level, CheckLevel::kOk);
  EXPECT_EQ(Find("seccomp").level, CheckLevel::kOk);
  EXPECT_EQ(Find("pivot_root").level, CheckLevel::kOk);
  EXPECT_EQ(Find("pivot_root").detail, "/ is ext4");
}

TEST_F(FakeProc, NoOverlayFails) {
  Write("filesystems", "nodev\tsysfs\n\text4\n");
  CheckResult r = Find("overlayfs");
  EXPECT_EQ(r.level, CheckLevel::kFail);
  EXPECT_THAT(r.detail, HasSubstr("no overlay in"));
}

TEST_F(FakeProc, MissingNamespaceFailsNamingIt) {
  ASSERT_TRUE(sys::RemoveAll(paths_.proc + "/self/ns/pid").ok());
  CheckResult r = Find("namespaces");
  EXPECT_EQ(r.level, CheckLevel::kFail);
  EXPECT_THAT(r.detail, HasSubstr("without pid namespaces"));
}

TEST_F(FakeProc, NoUserNamespaceOnlyWarns) {
  ASSERT_TRUE(sys::RemoveAll(paths_.proc + "/self/ns/user").ok());
  EXPECT_EQ(Find("namespaces").level, CheckLevel::kWarn);
}

TEST_F(FakeProc, NoSeccompFails) {
  Write("self/status", "Name:\tcricketd\n");
  EXPECT_EQ(Find("seccomp").level, CheckLevel::kFail);
}

TEST_F(FakeProc, InitramfsRootFailsPivotRoot) {
  Write("self/mountinfo", "1 1 0:2 / / rw - rootfs rootfs rw\n");
  CheckResult r = Find("pivot_root");
  EXPECT_EQ(r.level, CheckLevel::kFail);
  EXPECT_THAT(r.detail, HasSubstr("initramfs"));
}

TEST_F(FakeProc, SystemdDriverWithoutSystemdFails) {
  bool failed = false;
  for (const CheckResult& r :
       oci::cgroup::CheckHost(paths_.cgroup_root, "auto", "systemd", dir_.Sub("no-systemd"))) {
    if (r.level == CheckLevel::kFail && r.detail.find("driver is systemd") != std::string::npos) {
      failed = true;
    }
  }
  EXPECT_TRUE(failed);
}

class CniCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    auto d = sys::TempDir::Make("check-cni-");
    ASSERT_TRUE(d.ok()) << d.status();
    dir_ = std::move(*d);
    cni_.conf_dir = dir_.Sub("net.d");
    cni_.bin_dirs = {dir_.Sub("bin")};
    ASSERT_TRUE(sys::MkdirAll(cni_.conf_dir).ok());
    ASSERT_TRUE(sys::MkdirAll(cni_.bin_dirs[0]).ok());
    for (const char* p : {"bridge", "loopback"}) {
      std::string path = cni_.bin_dirs[0] + "/" + p;
      ASSERT_TRUE(sys::WriteFileAtomic(path, "#!/bin/sh\n").ok());
      ASSERT_EQ(::chmod(path.c_str(), 0755), 0);
    }
  }
  void WriteConf(const std::string& name, const std::string& text) {
    ASSERT_TRUE(sys::WriteFileAtomic(cni_.conf_dir + "/" + name, text).ok());
  }
  static std::string List(const std::string& type) {
    return R"({"cniVersion":"1.0.0","name":"net","plugins":[{"type":")" + type + R"("}]})";
  }
  bool Has(CheckLevel level, const std::string& name, const std::string& text) {
    for (const CheckResult& r : network::CheckHost(cni_)) {
      if (r.level == level && r.name == name && r.detail.find(text) != std::string::npos) {
        return true;
      }
    }
    return false;
  }

  sys::TempDir dir_;
  conf::Config::Cni cni_;
};

TEST_F(CniCheck, ValidNetworkWithItsPlugins) {
  WriteConf("10-net.conflist", List("bridge"));
  EXPECT_TRUE(Has(CheckLevel::kOk, "cni.conf_dir", "network \"net\""));
  EXPECT_TRUE(Has(CheckLevel::kOk, "cni.plugins", "/bin/bridge"));
}

TEST_F(CniCheck, MissingPluginFailsNamingIt) {
  WriteConf("10-net.conflist", List("nosuchplugin"));
  EXPECT_TRUE(Has(CheckLevel::kFail, "cni.plugins", "plugin nosuchplugin not found"));
}

TEST_F(CniCheck, OnlyBrokenConfigsFail) {
  WriteConf("10-bad.conflist", "{not json");
  EXPECT_TRUE(Has(CheckLevel::kFail, "cni.conf_dir", "10-bad.conflist"));
  EXPECT_TRUE(Has(CheckLevel::kFail, "cni.conf_dir", "no valid network config"));
}

TEST_F(CniCheck, EmptyOrMissingDirOnlyWarns) {
  EXPECT_TRUE(Has(CheckLevel::kWarn, "cni.conf_dir", "no valid network config"));
  cni_.conf_dir = dir_.Sub("absent");
  EXPECT_TRUE(Has(CheckLevel::kWarn, "cni.conf_dir", "absent"));
}

TEST_F(CniCheck, ConfDirThatIsAFileFails) {
  cni_.conf_dir = cni_.bin_dirs[0] + "/bridge";
  EXPECT_TRUE(Has(CheckLevel::kFail, "cni.conf_dir", "is not a directory"));
}

TEST_F(CniCheck, CacheDirThatIsAFileFails) {
  cni_.cache_dir = dir_.path();
  EXPECT_TRUE(Has(CheckLevel::kOk, "cni.cache_dir", "writable"));
  cni_.cache_dir = cni_.bin_dirs[0] + "/bridge";
  EXPECT_TRUE(Has(CheckLevel::kFail, "cni.cache_dir", "not a directory"));
}

TEST(CheckDirs, FileInPlaceOfADirFails) {
  auto d = sys::TempDir::Make("check-dirs-");
  ASSERT_TRUE(d.ok());
  conf::Config c;
  c.root_dir = d->Sub("file");
  c.state_dir = d->Sub("new/state");
  ASSERT_TRUE(sys::WriteFileAtomic(c.root_dir, "x").ok());
  auto r = CheckDirs(c);
  ASSERT_EQ(r.size(), 3u);  // root_dir, state_dir, records set aside
  EXPECT_EQ(r[0].level, CheckLevel::kFail);
  EXPECT_THAT(r[0].detail, HasSubstr("not a directory"));
  EXPECT_EQ(r[1].level, CheckLevel::kOk);
  EXPECT_THAT(r[1].detail, HasSubstr("created at start"));
  EXPECT_EQ(r[2].name, "records");
}

TEST(CheckFiles, MissingMonitorFails) {
  conf::Config c;
  auto r = pod::CheckHost(c, "/nonexistent/cricket-monitor");
  ASSERT_FALSE(r.empty());
  EXPECT_EQ(r[0].level, CheckLevel::kFail);
  EXPECT_THAT(r[0].detail, HasSubstr("/nonexistent/cricket-monitor"));
}

TEST(CheckFormat, OneAlignedLine) {
  EXPECT_EQ(FormatCheck({CheckLevel::kFail, "cni.plugins", "bridge missing"}),
            "FAIL  cni.plugins          bridge missing");
  EXPECT_EQ(FormatCheck({CheckLevel::kOk, "seccomp", "supported"}),
            "ok    seccomp              supported");
}

TEST(CheckOptions, CheckIsASubcommand) {
  auto o = ParseDaemonArgs({"check", "--config", "/x.yaml"});
  ASSERT_TRUE(o.ok()) << o.status();
  EXPECT_EQ(o->command, DaemonOptions::Command::kCheck);
  EXPECT_EQ(o->load.config_file, "/x.yaml");
  EXPECT_THAT(DaemonUsage(), HasSubstr("check"));
}

}  // namespace
}  // namespace cricket::cri
