// Debian's runc as the oracle for cricket-oci: a fixture with both CLIs, and
// the error message each printed, taken out of its framing so the words
// clients parse (containerd's and CRI-O's substring checks, the msg of
// runc's --log file) can be compared byte for byte.
#pragma once

#include <string>
#include <vector>

#include "tests/fixtures/partners.h"
#include "tests/integration/oci/cli_helpers.h"

namespace cricket::testing {

class OracleTest : public OciCliTest {
 protected:
  void SetUp() override {
    OciCliTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    CRICKET_REQUIRE_PROGRAM(runc, "runc");
    auto cli = OciCli::Make(runc);
    ASSERT_TRUE(cli.ok()) << cli.status();
    runc_.emplace(std::move(*cli));
  }
  // Both runtimes, cricket-oci first.
  std::vector<const OciCli*> Both() const { return {&*cli_, &*runc_}; }
  bool IsRunc(const OciCli* c) const { return c == &*runc_; }
  std::optional<OciCli> runc_;
};

// The msg of the last stderr line at `level` ("error", "warn"): runc's
// logrus line `time=".." level=error msg="runc run failed: .."` (the
// "runc <verb> failed: " framing dropped), cricket-oci's `cricket-oci: <verb>:
// ..` for errors and its `level=warn msg=".."` for warnings. Empty when none.
std::string RuntimeMessage(const std::string& err, const std::string& level = "error");

}  // namespace cricket::testing
