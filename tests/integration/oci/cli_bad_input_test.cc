// cricket-oci on bad input: malformed config.json (the error names the JSON
// path), unknown fields, a missing rootfs, hostile ids, and an image symlink
// that would redirect a mount onto the host's /etc. Nothing may leak.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "tests/integration/oci/cli_helpers.h"

namespace cricket::testing {
namespace {

using nlohmann::json;

class BadInputTest : public OciCliTest {
 protected:
  // A failed create must leave no state behind.
  void ExpectNothingLeft(const std::string& id) {
    EXPECT_EQ(cli_->Run({"list", "-q"}).out, "");
    EXPECT_FALSE(sys::PathExists(cli_->root() + "/" + id));
  }
  CliResult Create(const std::string& id) {
    return cli_->Run({"create", "--bundle", bundle_->dir(), id});
  }
};

TEST_F(BadInputTest, MalformedConfigNamesTheJsonPath) {
  std::string id = NewId("bad");
  bundle_->config()["process"]["args"] = 42;
  ASSERT_TRUE(bundle_->Save().ok());
  CliResult r = Create(id);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("process.args"), std::string::npos) << r;
  ExpectNothingLeft(id);

  bundle_->config()["process"]["args"] = {"true"};
  bundle_->config()["process"]["user"]["uid"] = "root";
  ASSERT_TRUE(bundle_->Save().ok());
  r = Create(id);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("process.user.uid"), std::string::npos) << r;

  ASSERT_TRUE(sys::WriteFileAtomic(bundle_->dir() + "/config.json", "{\"ociVersion\": ").ok());
  r = Create(id);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("config.json"), std::string::npos) << r;
  ExpectNothingLeft(id);
}

TEST_F(BadInputTest, UnknownFieldsAreIgnored) {
  bundle_->config()["someFutureField"] = {{"x", 1}};
  bundle_->config()["process"]["someFutureFlag"] = true;
  bundle_->config()["linux"]["someFutureList"] = {1, 2};
  bundle_->SetArgs({"true"});
  CliResult r = RunContainer(NewId("unknown"));
  EXPECT_EQ(r.code, 0) << r;
}

TEST_F(BadInputTest, MissingRootfs) {
  std::string id = NewId("noroot");
  bundle_->config()["root"]["path"] = "no-such-rootfs";
  ASSERT_TRUE(bundle_->Save().ok());
  CliResult r = Create(id);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("no-such-rootfs"), std::string::npos) << r;
  ExpectNothingLeft(id);
}

TEST_F(BadInputTest, HostileIdsAreRefused) {
  bundle_->SetArgs({"true"});
  ASSERT_TRUE(bundle_->Save().ok());
  std::string parent = cli_->root().substr(0, cli_->root().rfind('/'));
  for (const std::string& id : {std::string("a/b"), std::string(".."), std::string("../escape"),
                                std::string("."), std::string("")}) {
    CliResult r = Create(id);
    EXPECT_EQ(r.code, 1) << "id \"" << id << "\": " << r;
    EXPECT_FALSE(r.err.empty());
    EXPECT_EQ(cli_->Run({"state", id}).code, 1) << id;
  }
  EXPECT_FALSE(sys::PathExists(parent + "/escape"));
  EXPECT_FALSE(sys::PathExists(cli_->root() + "/a"));
  ExpectNothingLeft("x");
}

TEST_F(BadInputTest, WrongStateRefusals) {
  std::string id = NewId("state");
  bundle_->SetArgs({"sleep", "100"});
  ASSERT_TRUE(bundle_->Save().ok());
  EXPECT_EQ(cli_->Run({"kill", id}).code, 1) << "kill of a missing container";
  EXPECT_EQ(cli_->Run({"start", id}).code, 1) << "start of a missing container";
  ASSERT_EQ(Create(id).code, 0);
  EXPECT_EQ(cli_->Run({"resume", id}).code, 1) << "resume of a created container";
  ASSERT_EQ(cli_->Run({"start", id}).code, 0);
  EXPECT_EQ(cli_->Run({"delete", id}).code, 1) << "delete of a running container needs -f";
  EXPECT_EQ(cli_->Run({"resume", id}).code, 1) << "resume of a running container";
  EXPECT_EQ(cli_->Run({"kill", id, "NOSUCHSIG"}).code, 1);
  EXPECT_EQ(cli_->Run({"delete", "-f", id}).code, 0);
}

// The image's /etc is a symlink to "/etc": resolved inside the rootfs it loops
// onto itself; followed on the host it would reach the host's /etc. A mount
// at /etc/<x> must fail or land inside the rootfs — never on the host.
TEST_F(BadInputTest, SymlinkedEtcCannotRedirectAMountToTheHost) {
  std::string name = NewId("escape");
  std::string host_target = "/etc/" + name;
  ASSERT_FALSE(sys::PathExists(host_target));
  ASSERT_TRUE(sys::RemoveAll(bundle_->rootfs() + "/etc").ok());
  ASSERT_EQ(symlink("/etc", (bundle_->rootfs() + "/etc").c_str()), 0);
  bundle_->config()["mounts"].push_back({{"destination", "/etc/" + name},
                                         {"type", "tmpfs"},
                                         {"source", "tmpfs"},
                                         {"options", {"size=1m"}}});
  bundle_->SetArgs({"true"});
  CliResult r = RunContainer(NewId("etc"));
  bool leaked = sys::PathExists(host_target);
  if (leaked) (void)sys::RemoveDir(host_target);
  EXPECT_FALSE(leaked) << "mount point created on the host: " << r;
  std::ifstream mi("/proc/self/mountinfo");
  std::string all((std::istreambuf_iterator<char>(mi)), std::istreambuf_iterator<char>());
  EXPECT_EQ(all.find(host_target), std::string::npos);
  if (r.code != 0) {
    EXPECT_FALSE(r.err.empty());
  }
  EXPECT_EQ(cli_->Run({"list", "-q"}).out, "");
}

// A symlink elsewhere in the image pointing at "/etc" resolves to the
// rootfs's own /etc: the mount lands there and the container sees it.
TEST_F(BadInputTest, AbsoluteSymlinkResolvesInsideTheRootfs) {
  std::string name = NewId("inside");
  ASSERT_EQ(symlink("/etc", (bundle_->rootfs() + "/data").c_str()), 0);
  bundle_->config()["mounts"].push_back({{"destination", "/data/" + name},
                                         {"type", "tmpfs"},
                                         {"source", "tmpfs"},
                                         {"options", {"size=1m"}}});
  json r = RunChecker({"write", "/etc/" + name + "/f"});
  EXPECT_EQ(r["ok"], true) << r;
  bool leaked = sys::PathExists("/etc/" + name);
  if (leaked) (void)sys::RemoveDir("/etc/" + name);
  EXPECT_FALSE(leaked);
  EXPECT_TRUE(sys::PathExists(bundle_->rootfs() + "/etc/" + name)) << "mount point in the rootfs";
}

}  // namespace
}  // namespace cricket::testing
