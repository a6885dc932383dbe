// The package's maintainer scripts, run for real with stand-ins for
// systemctl, deb-systemd-helper and deb-systemd-invoke that record their
// arguments. Each run is in a private mount namespace with a fresh tmpfs on
// /run, with or without /run/systemd/system, so the outcome does not depend
// on this machine's init (and nothing outside the namespace sees it).
#include <sys/stat.h>

#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/partners.h"
#include "tests/integration/packaging/packaging_helpers.h"

namespace cricket::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class MaintainerScripts : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    CRICKET_REQUIRE_PROGRAM(unshare, "unshare");
    unshare_ = unshare;
    auto d = sys::TempDir::Make("maint-");
    ASSERT_TRUE(d.ok());
    dir_ = std::move(*d);
    const std::string stub =
        "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> " + dir_.Sub("log") + "\nexit 0\n";
    ASSERT_EQ(::mkdir(dir_.Sub("stubs").c_str(), 0755), 0);
    for (const char* name : {"systemctl", "deb-systemd-helper", "deb-systemd-invoke"}) {
      const std::string path = dir_.Sub("stubs/") + name;
      ASSERT_TRUE(sys::WriteFileAtomic(path, stub).ok());
      ASSERT_EQ(::chmod(path.c_str(), 0755), 0);
    }
  }

  // Runs contrib/debian/<script> with `args`; returns the stand-ins' log.
  std::string RunScript(bool systemd, const std::string& script,
                        const std::vector<std::string>& args) {
    failure_.clear();
    (void)sys::WriteFileAtomic(dir_.Sub("log"), "");
    std::string inner = "mount -t tmpfs cricket-test /run && ";
    if (systemd) inner += "mkdir -p /run/systemd/system && ";
    inner += "PATH=" + dir_.Sub("stubs") + ":/usr/sbin:/usr/bin:/sbin:/bin exec sh \"$0\" \"$@\"";
    std::vector<std::string> argv = {unshare_,
                                     "--mount",
                                     "--propagation",
                                     "private",
                                     "sh",
                                     "-c",
                                     inner,
                                     std::string(CRICKET_SOURCE_DIR) + "/contrib/debian/" + script};
    argv.insert(argv.end(), args.begin(), args.end());
    auto r = RunProgram(argv);
    if (!r.ok() || r->exit.code() != 0) {
      failure_ = r.ok() ? r->out + r->err : std::string(r.status().message());
    }
    auto log = sys::ReadFile(dir_.Sub("log"));
    return log.ok() ? *log : "";
  }

  std::string unshare_;
  sys::TempDir dir_;
  std::string failure_;  // why the last script failed; "" when it exited 0
};

TEST_F(MaintainerScripts, FirstInstallEnablesAndStartsWhereSystemdRuns) {
  std::string log = RunScript(true, "postinst", {"configure", ""});
  EXPECT_EQ(failure_, "");
  EXPECT_THAT(log, HasSubstr("deb-systemd-helper enable cricket.service"));
  EXPECT_THAT(log, HasSubstr("systemctl --system daemon-reload"));
  EXPECT_THAT(log, HasSubstr("deb-systemd-invoke start cricket.service"));
}

TEST_F(MaintainerScripts, WithoutSystemdInstallEnablesButStartsNothing) {
  std::string log = RunScript(false, "postinst", {"configure", ""});
  EXPECT_EQ(failure_, "");
  EXPECT_THAT(log, HasSubstr("deb-systemd-helper enable cricket.service"));
  EXPECT_THAT(log, Not(HasSubstr("systemctl")));
  EXPECT_THAT(log, Not(HasSubstr("deb-systemd-invoke")));
  for (const char* script : {"prerm", "postrm"}) {
    EXPECT_THAT(RunScript(false, script, {"remove"}), Not(HasSubstr("systemctl")));
    EXPECT_EQ(failure_, "") << script;
  }
}

TEST_F(MaintainerScripts, UpgradeRestartsCricketdAndNeverStopsIt) {
  // dpkg's order for an upgrade: old prerm upgrade, new postinst configure
  // <old>.
  std::string prerm = RunScript(true, "prerm", {"upgrade", "0.2.0"});
  EXPECT_EQ(failure_, "");
  EXPECT_EQ(prerm, "") << "prerm must not stop cricketd on upgrade";
  std::string postinst = RunScript(true, "postinst", {"configure", "0.0.9"});
  EXPECT_EQ(failure_, "");
  EXPECT_THAT(postinst, HasSubstr("deb-systemd-invoke restart cricket.service"));
  EXPECT_THAT(postinst, Not(HasSubstr("stop")));
}

TEST_F(MaintainerScripts, RemoveStopsPurgeForgetsTheUnitAndKeepsData) {
  EXPECT_THAT(RunScript(true, "prerm", {"remove"}),
              HasSubstr("deb-systemd-invoke stop cricket.service"));
  EXPECT_EQ(failure_, "");
  std::string purge = RunScript(true, "postrm", {"purge"});
  EXPECT_EQ(failure_, "");
  EXPECT_THAT(purge, HasSubstr("deb-systemd-helper purge cricket.service"));
  // /var/lib/cricket stays (images, records of containers that may still run).
  auto postrm = sys::ReadFile(std::string(CRICKET_SOURCE_DIR) + "/contrib/debian/postrm");
  ASSERT_TRUE(postrm.ok());
  std::string code;  // the script without its comments
  for (absl::string_view line : absl::StrSplit(*postrm, '\n')) {
    if (!absl::StartsWith(absl::StripLeadingAsciiWhitespace(line), "#")) {
      absl::StrAppend(&code, line, "\n");
    }
  }
  EXPECT_THAT(code, Not(HasSubstr("rm ")));
}

}  // namespace
}  // namespace cricket::testing
