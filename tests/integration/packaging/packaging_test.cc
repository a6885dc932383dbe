// cricket as a node service: `cmake --install` puts every file in its FHS
// place, the unit passes `systemd-analyze verify`, the .deb built by CPack
// holds the same files with conffiles, maintainer scripts and library
// Depends, shares no file with Debian's unrelated "cricket" package, and its
// scripts start the service only where systemd runs and never stop it (or
// its containers) on an upgrade.
#include <sys/stat.h>

#include <fstream>
#include <memory>
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

using ::testing::HasSubstr;
using ::testing::Not;

const std::string kBin = CRICKET_BINARY_DIR;
const std::string kSrc = CRICKET_SOURCE_DIR;

// Skip (fail under CI) unless the programs, man pages and completions are built.
#define REQUIRE_BUILT()                                                               \
  do {                                                                                \
    if (!sys::PathExists(kBin + "/cri/cricketd") ||                                   \
        !sys::PathExists(kBin + "/contrib/man/cricketd.8.gz") ||                      \
        !sys::PathExists(kBin + "/contrib/completions/cricketctl")) {                 \
      if (InCI()) FAIL() << "programs, man pages or completions not built in " << kBin; \
      GTEST_SKIP() << "build the programs and the `man` and `completions` targets "   \
                      "first (cmake --build .)";                                      \
    }                                                                                 \
  } while (0)

std::string Output(const absl::StatusOr<sys::CommandResult>& r) {
  return r.ok() ? r->out + r->err : std::string(r.status().message());
}

TEST(Packaging, UnitFilePassesSystemdAnalyzeVerify) {
  CRICKET_REQUIRE_PROGRAM(analyze, "systemd-analyze");
  REQUIRE_BUILT();
  auto unit = sys::ReadFile(kSrc + "/contrib/cricket.service");
  ASSERT_TRUE(unit.ok()) << unit.status();
  EXPECT_THAT(*unit, HasSubstr("\nExecStart=/usr/bin/cricketd\n"));
  EXPECT_THAT(*unit, HasSubstr("\nKillMode=process\n"));  // containers outlive a restart
  // verify checks that ExecStart exists: point it at the built cricketd, as
  // /usr/bin/cricketd is not installed on a build machine.
  std::string text = *unit;
  text.replace(text.find("/usr/bin/cricketd"), 17, kBin + "/cri/cricketd");
  auto dir = sys::TempDir::Make("unit-verify-");
  ASSERT_TRUE(dir.ok());
  ASSERT_TRUE(sys::WriteFileAtomic(dir->Sub("cricket.service"), text).ok());
  // verify also runs `man` for each Documentation= page: install into a
  // staging root and point MANPATH at its pages, so the check is real.
  auto staged = sys::TempDir::Make("unit-verify-root-");
  ASSERT_TRUE(staged.ok());
  auto inst = RunProgram(
      {"env", "DESTDIR=" + staged->path(), "cmake", "--install", kBin, "--prefix", "/usr"});
  ASSERT_TRUE(inst.ok() && inst->exit.code() == 0) << Output(inst);
  auto r = RunProgram({"env", "MANPATH=" + staged->path() + "/usr/share/man", analyze, "verify",
                       dir->Sub("cricket.service")});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->exit.code(), 0) << r->out << r->err;
  EXPECT_EQ(r->err, "") << "systemd-analyze has remarks";
}

TEST(Packaging, CmakeInstallPutsEveryFileInItsFhsPlace) {
  CRICKET_REQUIRE_PROGRAM(cmake, "cmake");
  REQUIRE_BUILT();
  auto dest = sys::TempDir::Make("install-");
  ASSERT_TRUE(dest.ok());
  auto r =
      RunProgram({"env", "DESTDIR=" + dest->path(), cmake, "--install", kBin, "--prefix", "/usr"});
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->exit.code(), 0) << r->out << r->err;
  EXPECT_EQ(FilesUnder(dest->path()), ExpectedInstalledFiles());
  // Nothing in the node's CNI dir: the example stays an example.
  EXPECT_FALSE(sys::PathExists(dest->Sub("etc/cni")));
  auto version = RunProgram({dest->Sub("usr/bin/cricketd"), "--version"});
  ASSERT_TRUE(version.ok());
  EXPECT_THAT(version->out, HasSubstr("cricketd version " CRICKET_VERSION));
}

// The package, built once for the tests below (cpack takes ~10 s).
class Deb : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (FindProgram("cpack").empty() || FindProgram("dpkg-deb").empty() ||
        !sys::PathExists(kBin + "/contrib/man/cricketd.8.gz")) {
      return;
    }
    auto dir = sys::TempDir::Make("deb-");
    if (!dir.ok()) return;
    dir_ = std::make_unique<sys::TempDir>(std::move(*dir));
    auto r = RunProgram(
        {"cpack", "--config", kBin + "/CPackConfig.cmake", "-G", "DEB", "-B", dir_->path()});
    cpack_output_ = Output(r);
    auto names = sys::ListDir(dir_->path());
    if (!r.ok() || r->exit.code() != 0 || !names.ok()) return;
    for (const std::string& n : *names) {
      if (n.starts_with("cricket-runtime_" CRICKET_VERSION "_") && n.ends_with(".deb")) {
        deb_ = dir_->Sub(n);
      }
    }
  }
  static void TearDownTestSuite() { dir_.reset(); }

  void SetUp() override {
    REQUIRE_BUILT();
    CRICKET_REQUIRE_PROGRAM(cpack, "cpack");
    CRICKET_REQUIRE_PROGRAM(dpkg_deb, "dpkg-deb");
    ASSERT_FALSE(deb_.empty()) << "cpack -G DEB failed:\n" << cpack_output_;
  }
  std::string Field(const std::string& name) {
    auto r = RunProgram({"dpkg-deb", "-f", deb_, name});
    return r.ok() ? r->out : "";
  }

  static inline std::unique_ptr<sys::TempDir> dir_;
  static inline std::string deb_;
  static inline std::string cpack_output_;
};

TEST_F(Deb, HoldsTheFhsLayout) {
  auto r = RunProgram({"dpkg-deb", "-c", deb_});
  ASSERT_TRUE(r.ok() && r->exit.code() == 0) << Output(r);
  EXPECT_EQ(DebFiles(r->out), ExpectedInstalledFiles());
  EXPECT_EQ(Field("Package"), "cricket-runtime\n");
  EXPECT_EQ(Field("Version"), CRICKET_VERSION "\n");
  EXPECT_EQ(Field("Section"), "admin\n");
}

TEST_F(Deb, DependsOnTheSharedLibrariesItLinks) {
  const std::string depends = Field("Depends");
  for (const char* lib : {"libc6", "libstdc++6", "libgrpc++", "libprotobuf", "libyaml-cpp",
                          "libseccomp2", "libarchive13", "libcurl4", "libsystemd0"}) {
    EXPECT_THAT(depends, HasSubstr(lib));
  }
  EXPECT_THAT(Field("Recommends"), HasSubstr("containernetworking-plugins"));
}

TEST_F(Deb, ConffilesAndMaintainerScripts) {
  auto control = sys::TempDir::Make("deb-control-");
  ASSERT_TRUE(control.ok());
  auto r = RunProgram({"dpkg-deb", "-e", deb_, control->Sub("DEBIAN")});
  ASSERT_TRUE(r.ok() && r->exit.code() == 0) << Output(r);
  auto conffiles = sys::ReadFile(control->Sub("DEBIAN/conffiles"));
  ASSERT_TRUE(conffiles.ok()) << conffiles.status();
  EXPECT_EQ(*conffiles, "/etc/cricket/cricket.yaml\n");
  for (const char* script : {"postinst", "prerm", "postrm"}) {
    struct stat st {};
    ASSERT_EQ(::stat(control->Sub(std::string("DEBIAN/") + script).c_str(), &st), 0) << script;
    EXPECT_EQ(st.st_mode & 0777, 0755u) << script;
    EXPECT_EQ(*sys::ReadFile(control->Sub(std::string("DEBIAN/") + script)),
              *sys::ReadFile(kSrc + "/contrib/debian/" + script))
        << script;
  }
}

TEST_F(Deb, SharesNoFileWithDebiansCricketPackage) {
  auto r = RunProgram({"dpkg-deb", "-c", deb_});
  ASSERT_TRUE(r.ok());
  std::set<std::string> ours = DebFiles(r->out);
  std::ifstream theirs(kSrc + "/tests/integration/packaging/debian_cricket_files.txt");
  ASSERT_TRUE(theirs.good());
  int n = 0;
  for (std::string line; std::getline(theirs, line);) {
    if (line.empty() || line[0] == '#') continue;
    n++;
    EXPECT_EQ(ours.count(line), 0u) << line << " is also in Debian's cricket package";
  }
  EXPECT_GT(n, 100);  // the list is there
}

TEST_F(Deb, ExtractedBinariesRun) {
  auto root = sys::TempDir::Make("deb-root-");
  ASSERT_TRUE(root.ok());
  auto r = RunProgram({"dpkg-deb", "-x", deb_, root->path()});
  ASSERT_TRUE(r.ok() && r->exit.code() == 0) << Output(r);
  EXPECT_EQ(FilesUnder(root->path()), ExpectedInstalledFiles());
  auto version = RunProgram({root->Sub("usr/bin/cricketd"), "--version"});
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(version->exit.code(), 0);
  EXPECT_THAT(version->out, HasSubstr("cricketd version " CRICKET_VERSION));
  auto help = RunProgram({root->Sub("usr/bin/cricketd"), "--help"});
  ASSERT_TRUE(help.ok());
  EXPECT_THAT(help->out, HasSubstr("check"));
  EXPECT_THAT(help->out, Not(HasSubstr("unknown")));
}

}  // namespace
}  // namespace cricket::testing
