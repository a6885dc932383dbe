// cricket-oci checkpoint / restore next to runc's on the same bundle: a
// counter loop checkpointed with --leave-running and restored under a new id
// keeps counting. Where CRIU cannot work on this kernel (`criu check` fails)
// the round trip skips printing CRIU's reason, and what is checked instead is
// that the failure carries that reason and leaves the container running.
#include <thread>

#include "absl/strings/numbers.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "oci/criu.h"
#include "oci/sys/atomic_file.h"
#include "tests/fixtures/partners.h"
#include "tests/integration/oci/cli_helpers.h"

namespace cricket::testing {
namespace {

// Redirects its own stdio at once: the dump then holds no fd of the test's.
constexpr const char* kCounter =
    "exec </dev/null >/dev/null 2>&1; i=0; while :; do i=$((i+1)); echo $i > /count; "
    "sleep 0.05; done";

class CheckpointTest : public OciCliTest {
 protected:
  void SetUp() override {
    OciCliTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    CRICKET_REQUIRE_PROGRAM(criu, "criu");
    criu_ = criu;
    criu_works_ = oci::CriuCheck(criu_);
    CRICKET_REQUIRE_PROGRAM(runc, "runc");
    auto cli = OciCli::Make(runc);
    ASSERT_TRUE(cli.ok()) << cli.status();
    runc_.emplace(std::move(*cli));
    bundle_->SetArgs({"sh", "-c", kCounter});
    bundle_->config()["root"]["readonly"] = false;
    ASSERT_TRUE(bundle_->Save().ok());
  }
  std::vector<const OciCli*> Both() const { return {&*cli_, &*runc_}; }

  // The counter's value, 0 until it wrote one.
  int Count() const {
    auto text = sys::ReadFile(bundle_->rootfs() + "/count");
    int n = 0;
    if (!text.ok() || !absl::SimpleAtoi(absl::StripAsciiWhitespace(*text), &n)) return 0;
    return n;
  }
  // Waits until the counter passes `above` (false after ~10 s).
  bool CountPasses(int above) const {
    for (int i = 0; i < 400; ++i) {
      if (Count() > above) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(25));
    }
    return false;
  }
  void StartCounter(const OciCli& c, const std::string& id) {
    (void)sys::WriteFileAtomic(bundle_->rootfs() + "/count", "0", 0644);
    CliResult r = c.Run({"run", "-d", "--bundle", bundle_->dir(), id});
    ASSERT_EQ(r.code, 0) << c.binary() << ": " << r;
    ASSERT_TRUE(CountPasses(0)) << c.binary() << ": the counter never counted";
  }

  std::string criu_;
  absl::Status criu_works_;
  std::optional<OciCli> runc_;
};

TEST_F(CheckpointTest, LeaveRunningThenRestoreUnderANewIdKeepsCounting) {
  if (!criu_works_.ok()) GTEST_SKIP() << "CRIU cannot work on this host: " << criu_works_;
  for (const OciCli* c : Both()) {
    std::string id = NewId("ckpt"), restored = NewId("ckpt-restored");
    StartCounter(*c, id);
    std::string images = bundle_->dir() + "/images-" + id;
    CliResult r = c->Run({"checkpoint", "--leave-running", "--image-path", images, id});
    ASSERT_EQ(r.code, 0) << c->binary() << ": " << r;
    EXPECT_EQ(c->State(id)["status"], "running") << c->binary() << " after --leave-running";
    ASSERT_EQ(c->Run({"delete", "-f", id}).code, 0) << c->binary();
    int at_stop = Count();
    r = c->Run({"restore", "-d", "--image-path", images, "--bundle", bundle_->dir(), restored});
    ASSERT_EQ(r.code, 0) << c->binary() << ": " << r;
    EXPECT_EQ(c->State(restored)["status"], "running") << c->binary();
    EXPECT_TRUE(CountPasses(at_stop)) << c->binary() << ": the restored loop does not count on";
    EXPECT_EQ(c->Run({"delete", "-f", restored}).code, 0) << c->binary();
  }
}

// Where criu check fails, both runtimes fail the checkpoint and leave the
// container running; cricket-oci's error carries CRIU's own reason.
TEST_F(CheckpointTest, FailureOnThisKernelSaysCriusReason) {
  if (criu_works_.ok()) GTEST_SKIP() << "criu check passes here: no kernel reason to report";
  std::string reason(criu_works_.message());
  reason = reason.substr(reason.find(": ") + 2);
  reason = reason.substr(0, reason.find(';'));  // CRIU's first error
  for (const OciCli* c : Both()) {
    std::string id = NewId("ckpt-fail");
    StartCounter(*c, id);
    CliResult r = c->Run({"checkpoint", "--leave-running", "--image-path",
                          bundle_->dir() + "/images-" + id, id});
    EXPECT_EQ(r.code, 1) << c->binary() << ": " << r;
    EXPECT_EQ(c->State(id)["status"], "running") << c->binary();
    int before = Count();
    EXPECT_TRUE(CountPasses(before)) << c->binary() << ": the container stopped counting";
    if (c == &*cli_) EXPECT_NE(r.err.find(reason), std::string::npos) << r << "\nwant: " << reason;
    EXPECT_EQ(c->Run({"delete", "-f", id}).code, 0);
  }
  std::string id = NewId("restore-fail");
  CliResult r = cli_->Run({"restore", "-d", "--image-path", bundle_->dir() + "/none", "--bundle",
                           bundle_->dir(), id});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_EQ(cli_->Run({"state", id}).code, 1) << "a failed restore leaves no container";
}

TEST_F(CheckpointTest, MissingCriuIsNamedAndRefusalsMatchRunc) {
  std::string id = NewId("ckpt-nocriu");
  StartCounter(*cli_, id);
  CliResult r = cli_->Run({"--criu", "/nonexistent/criu", "checkpoint", "--image-path",
                           bundle_->dir() + "/img", id});
  EXPECT_EQ(r.code, 1) << r;
  EXPECT_NE(r.err.find("criu not found at /nonexistent/criu"), std::string::npos) << r;
  EXPECT_EQ(cli_->State(id)["status"], "running");
  r = cli_->Run({"checkpoint", "--lazy-pages", id});
  EXPECT_NE(r.err.find("--lazy-pages is not supported"), std::string::npos) << r;
  // A container that is not running: both refuse with exit 1.
  for (const OciCli* c : Both()) {
    std::string created = NewId("ckpt-created");
    ASSERT_EQ(c->Run({"create", "--bundle", bundle_->dir(), created}).code, 0) << c->binary();
    EXPECT_EQ(c->Run({"checkpoint", "--image-path", bundle_->dir() + "/img2", created}).code, 1)
        << c->binary();
  }
}

}  // namespace
}  // namespace cricket::testing
