// A second cricketd started by mistake on the same root and state dirs must
// refuse before it reads or repairs anything: the first one's running
// container and its records stay as they are.
#include <thread>

#include "oci/sys/atomic_file.h"
#include "tests/e2e/crash/recovery_helpers.h"

namespace cricket::testing {
namespace {

// The first daemon's flags with the socket moved: only the dirs are shared.
std::vector<std::string> WithSocket(std::vector<std::string> args, const std::string& socket) {
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--socket") args[i + 1] = socket;
  }
  return args;
}

using RecoverySecondDaemonTest = RecoveryE2eTest;

TEST_F(RecoverySecondDaemonTest, RefusesBeforeTouchingTheFirstDaemonsWork) {
  Running r = RunSleeper("first");
  ASSERT_FALSE(HasFailure());
  const auto records = RecordFiles();
  ASSERT_FALSE(records.empty());

  for (const std::string& socket : {daemon_->socket(), daemon_->dir() + "/run/other.sock"}) {
    SCOPED_TRACE(socket);
    auto second = RunCricketd(WithSocket(daemon_->args(), socket), std::chrono::seconds(20));
    ASSERT_TRUE(second.ok()) << second.status() << " (the second daemon kept running)";
    EXPECT_NE(second->exit.code(), 0) << second->err;
    EXPECT_NE(second->err.find("another cricketd"), std::string::npos) << second->err;
    EXPECT_NE(second->err.find("cricketd.lock"), std::string::npos) << second->err;
    // It refused before recovery: no recovery step logged.
    EXPECT_EQ(second->err.find("recovered"), std::string::npos) << second->err;
    EXPECT_EQ(second->err.find("AppArmor"), std::string::npos) << second->err;
  }
  EXPECT_EQ(RecordFiles(), records);
  auto st = ContainerStatus(r.container_id);
  ASSERT_TRUE(st.ok()) << st.status();
  EXPECT_EQ(st->status().state(), v1::CONTAINER_RUNNING);
  // The first daemon still serves on its socket.
  EXPECT_TRUE(client_->Version().ok());
}

}  // namespace
}  // namespace cricket::testing
