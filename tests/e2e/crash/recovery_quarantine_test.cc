// The start-up sweep of containers without a record must not kill containers
// whose record cricketd cannot use (unreadable, or written by a newer
// cricketd): those records are set aside and reported (log, `cricketd
// check`), and their containers keep running.
#include <signal.h>

#include <nlohmann/json.hpp>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "tests/e2e/crash/recovery_helpers.h"

namespace cricket::testing {
namespace {

using RecoveryQuarantineTest = RecoveryE2eTest;

bool Alive(pid_t pid) { return pid > 0 && ::kill(pid, 0) == 0; }

TEST_F(RecoveryQuarantineTest, UnusableRecordsAreSetAsideAndTheirContainersKeepRunning) {
  Running corrupt = RunSleeper("corrupt");
  Running newer = RunSleeper("newer");
  ASSERT_FALSE(HasFailure());
  auto [corrupt_pid, corrupt_monitor] = Pids(corrupt.container_id);
  auto [newer_pid, newer_monitor] = Pids(newer.container_id);
  ASSERT_TRUE(Alive(corrupt_pid) && Alive(newer_pid));
  const std::string cdir = RootDir() + "/records/containers/";
  const std::string corrupt_path = cdir + corrupt.container_id + ".json";
  const std::string newer_path = cdir + newer.container_id + ".json";
  const std::string corrupt_text = sys::ReadFile(corrupt_path).value_or("");
  const std::string newer_text = sys::ReadFile(newer_path).value_or("");

  KillAndRestartWith({}, [&] {
    ASSERT_TRUE(sys::WriteFileAtomic(corrupt_path, "{\"version\": 1, \"bo").ok());
    auto j = nlohmann::json::parse(newer_text);
    j["version"] = 99;
    ASSERT_TRUE(sys::WriteFileAtomic(newer_path, j.dump()).ok());
  });
  ASSERT_FALSE(HasFatalFailure());

  EXPECT_TRUE(Alive(corrupt_pid)) << "the sweep killed a container with an unreadable record";
  EXPECT_TRUE(Alive(newer_pid)) << "the sweep killed a container with a newer record";
  EXPECT_TRUE(Alive(corrupt_monitor) && Alive(newer_monitor));
  EXPECT_TRUE(sys::PathExists(RootDir() + "/records/quarantine/containers/" +
                              corrupt.container_id + ".json"));
  EXPECT_TRUE(sys::PathExists(newer_path)) << "kept in place for the newer cricketd";
  std::string log = sys::ReadFile(RestartLog()).value_or("");
  EXPECT_NE(log.find(corrupt.container_id), std::string::npos) << log;
  EXPECT_NE(log.find(newer.container_id), std::string::npos) << log;

  std::vector<std::string> check_args = {"check"};
  check_args.insert(check_args.end(), daemon_->args().begin(), daemon_->args().end());
  auto check = RunCricketd(check_args, std::chrono::seconds(30));
  ASSERT_TRUE(check.ok()) << check.status();
  EXPECT_NE(check->out.find("set aside"), std::string::npos) << check->out;
  EXPECT_NE(check->out.find(corrupt.container_id), std::string::npos) << check->out;
  EXPECT_NE(check->out.find(newer.container_id), std::string::npos) << check->out;

  // The operator restores both; the next start manages them again.
  KillAndRestartWith({}, [&] {
    ASSERT_TRUE(sys::WriteFileAtomic(corrupt_path, corrupt_text).ok());
    ASSERT_TRUE(sys::WriteFileAtomic(newer_path, newer_text).ok());
    ::unlink((RootDir() + "/records/quarantine/containers/" + corrupt.container_id + ".json").c_str());
  });
  ASSERT_FALSE(HasFatalFailure());
  for (const Running& r : {corrupt, newer}) {
    auto st = ContainerStatus(r.container_id);
    ASSERT_TRUE(st.ok()) << st.status();
    EXPECT_EQ(st->status().state(), v1::CONTAINER_RUNNING);
  }
}

}  // namespace
}  // namespace cricket::testing
