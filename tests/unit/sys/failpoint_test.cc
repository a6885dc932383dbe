// Failpoints: parsing of CRICKET_FAILPOINTS, the three actions, @n, listing.
#include "oci/sys/failpoint.h"

#include <signal.h>

#include <algorithm>

#include "gtest/gtest.h"

namespace cricket::sys {
namespace {

CRICKET_DEFINE_FAILPOINT(kErrorPoint, "test.error_point");
CRICKET_DEFINE_FAILPOINT(kSecondHit, "test.second_hit");
CRICKET_DEFINE_FAILPOINT(kCrashPoint, "test.crash_point");
CRICKET_DEFINE_FAILPOINT(kQuiet, "test.quiet");

TEST(FailpointTest, DefinedNamesAreListed) {
  auto names = FailpointNames();
  for (const char* n : {"test.error_point", "test.second_hit", "test.crash_point", "test.quiet"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
  }
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
}

TEST(FailpointTest, UnarmedPointsPass) { EXPECT_TRUE(Failpoint(kQuiet).ok()); }

TEST(FailpointTest, BadSpecsNameTheEntry) {
  for (const char* bad : {"nameonly", "x=explode", "x=error@0", "x=delay:abc", "=crash"}) {
    absl::Status st = ArmFailpoints(bad);
    EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(st.message().find(bad), std::string_view::npos) << st;
  }
}

TEST(FailpointTest, ErrorFiresOnceOnTheChosenHit) {
  ASSERT_TRUE(ArmFailpoints("test.error_point=error; test.second_hit=error@2").ok());
  absl::Status first = Failpoint(kErrorPoint);
  EXPECT_EQ(first.code(), absl::StatusCode::kUnavailable);
  EXPECT_NE(first.message().find("test.error_point"), std::string_view::npos);
  EXPECT_TRUE(Failpoint(kErrorPoint).ok());  // fired once: the retry passes
  EXPECT_TRUE(Failpoint(kSecondHit).ok());
  EXPECT_FALSE(Failpoint(kSecondHit).ok());
  EXPECT_TRUE(Failpoint(kSecondHit).ok());
  EXPECT_TRUE(Failpoint(kQuiet).ok());
}

TEST(FailpointDeathTest, CrashKillsTheProcessWithoutCleanup) {
  EXPECT_EXIT(
      {
        if (ArmFailpoints("test.crash_point=crash").ok()) (void)Failpoint(kCrashPoint);
        std::_Exit(0);
      },
      testing::KilledBySignal(SIGKILL), "");
}

TEST(FailpointDeathTest, AnArmedTypoAbortsAtTheFirstPoint) {
  EXPECT_DEATH(
      {
        if (ArmFailpoints("test.no_such_point=crash").ok()) (void)Failpoint(kQuiet);
        std::_Exit(0);
      },
      "no failpoint is named \"test.no_such_point\"");
}

}  // namespace
}  // namespace cricket::sys

namespace cricket::sys {
namespace {

CRICKET_DEFINE_FAILPOINT(kStep, "test.caller_step");

TEST(CallerTest, AFailpointStopsACallWhoseCallerHasGone) {
  EXPECT_TRUE(Failpoint(kStep).ok());  // no scope: nobody to lose
  bool gone = false;
  {
    CallerScope scope([&] {
      return gone ? absl::DeadlineExceededError("deadline passed") : absl::OkStatus();
    });
    EXPECT_TRUE(Failpoint(kStep).ok());
    gone = true;
    absl::Status st = Failpoint(kStep);
    EXPECT_EQ(st.code(), absl::StatusCode::kDeadlineExceeded);
    EXPECT_EQ(st.message(), "deadline passed: stopped before test.caller_step");
    {
      CallerScope inner([] { return absl::OkStatus(); });  // the innermost applies
      EXPECT_TRUE(CallerGone("x").ok());
    }
    EXPECT_FALSE(CallerGone("x").ok());
  }
  EXPECT_TRUE(Failpoint(kStep).ok());
}

}  // namespace
}  // namespace cricket::sys
