// `cricketd check` on this machine, as an operator runs it: a good config with
// a CNI network whose plugins are installed passes; a broken CNI dir, a
// missing plugin or a bad config FAILs with a line naming the reason.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/partners.h"
#include "tests/integration/packaging/packaging_helpers.h"

namespace cricket::testing {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

class CricketdCheck : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    cricketd_ = BuiltProgram("cri/cricketd");
    if (!sys::PathExists(cricketd_)) {
      if (InCI()) FAIL() << cricketd_ << " not built";
      GTEST_SKIP() << cricketd_ << " not built";
    }
    plugins_ = FindProgram("bridge", "/usr/lib/cni:/opt/cni/bin");
    if (plugins_.empty()) {
      if (InCI()) FAIL() << "CNI plugins not installed (CI=true)";
      GTEST_SKIP() << "CNI plugins not installed (containernetworking-plugins)";
    }
    plugins_ = plugins_.substr(0, plugins_.rfind('/'));
    auto d = sys::TempDir::Make("check-");
    ASSERT_TRUE(d.ok());
    dir_ = std::move(*d);
    ASSERT_TRUE(sys::MkdirAll(dir_.Sub("net.d")).ok());
  }

  // Writes a config naming our temp dirs plus `extra` YAML, runs check with it.
  sys::CommandResult Check(const std::string& extra = "") {
    std::string yaml = "root_dir: " + dir_.Sub("root") + "\nstate_dir: " + dir_.Sub("state") +
                       "\ncni:\n  conf_dir: " + dir_.Sub("net.d") +
                       "\n  cache_dir: " + dir_.Sub("cache") + "\n  bin_dirs: [" + plugins_ +
                       "]\n" + extra;
    EXPECT_TRUE(sys::WriteFileAtomic(dir_.Sub("cricket.yaml"), yaml).ok());
    auto r =
        RunProgram({cricketd_, "check", "--config", dir_.Sub("cricket.yaml"), "--config-dir", ""});
    EXPECT_TRUE(r.ok()) << r.status();
    return r.ok() ? *r : sys::CommandResult{};
  }
  void WriteNetwork(const std::string& name, const std::string& text) {
    ASSERT_TRUE(sys::WriteFileAtomic(dir_.Sub("net.d/" + name), text).ok());
  }

  std::string cricketd_, plugins_;
  sys::TempDir dir_;
};

constexpr char kGoodNetwork[] =
    R"({"cniVersion": "1.0.0", "name": "checknet", "plugins": [
  {"type": "bridge", "bridge": "cricketchk0", "ipam": {"type": "host-local",
   "ranges": [[{"subnet": "10.251.0.0/24"}]]}},
  {"type": "portmap", "capabilities": {"portMappings": true}}]})";

TEST_F(CricketdCheck, PassesOnThisMachineWithAGoodConfig) {
  WriteNetwork("10-check.conflist", kGoodNetwork);
  auto r = Check();
  EXPECT_EQ(r.exit.code(), 0) << r.out << r.err;
  EXPECT_THAT(r.out, Not(HasSubstr("FAIL")));
  for (const char* line :
       {"ok    config ", "ok    overlayfs ", "ok    namespaces ", "ok    seccomp ",
        "ok    pivot_root ", "ok    cni.conf_dir         network \"checknet\"",
        "ok    cni.plugins ", "ok    monitor ", "ok    root_dir ", "ok    state_dir "}) {
    EXPECT_THAT(r.out, HasSubstr(line)) << r.out;
  }
  EXPECT_THAT(r.out, ContainsRegex("cgroups +(v1|v2|hybrid) at /sys/fs/cgroup"));
  // Checkpoints are optional: criu is ok, or a warning saying why not.
  EXPECT_THAT(r.out, ContainsRegex("\n(ok  |warn) +criu +"));
  EXPECT_THAT(r.out, ContainsRegex("\n[0-9]+ checks: 0 failed"));
  // check only looks: it made none of the dirs it checked.
  EXPECT_FALSE(sys::PathExists(dir_.Sub("root")));
  EXPECT_FALSE(sys::PathExists(dir_.Sub("state")));
}

TEST_F(CricketdCheck, BrokenCniConfigFails) {
  WriteNetwork("10-broken.conflist", "{\"cniVersion\": \"1.0.0\", \"plugins\": ");
  auto r = Check();
  EXPECT_EQ(r.exit.code(), 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("FAIL  cni.conf_dir         skipped " + dir_.Sub("net.d") +
                               "/10-broken.conflist"));
  EXPECT_THAT(r.out, HasSubstr("FAIL  cni.conf_dir         no valid network config"));
  EXPECT_THAT(r.out, HasSubstr("this node cannot run pods"));
}

TEST_F(CricketdCheck, MissingPluginFailsNamingIt) {
  WriteNetwork("10-check.conflist",
               R"({"cniVersion": "1.0.0", "name": "n", "plugins": [{"type": "nosuchplugin"}]})");
  auto r = Check();
  EXPECT_EQ(r.exit.code(), 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("FAIL  cni.plugins          network \"n\": plugin nosuchplugin "
                               "not found in " +
                               plugins_));
}

TEST_F(CricketdCheck, BadConfigFailsWithFileLineAndKey) {
  WriteNetwork("10-check.conflist", kGoodNetwork);
  auto r = Check("log_level: loud\n");
  EXPECT_EQ(r.exit.code(), 1) << r.out;
  EXPECT_THAT(r.out,
              ContainsRegex("FAIL  config +" + dir_.Sub("cricket.yaml") + ":[0-9]+: log_level"));
  // The kernel checks still run, for what they can tell.
  EXPECT_THAT(r.out, HasSubstr("overlayfs"));
}

TEST_F(CricketdCheck, MonitorThatIsNotThereFails) {
  WriteNetwork("10-check.conflist", kGoodNetwork);
  auto r = Check("runtime:\n  monitor_path: /nonexistent/cricket-monitor\n");
  EXPECT_EQ(r.exit.code(), 1) << r.out;
  EXPECT_THAT(r.out, HasSubstr("FAIL  monitor              /nonexistent/cricket-monitor"));
}

}  // namespace
}  // namespace cricket::testing
