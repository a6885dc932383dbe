// The one-daemon lock across processes: a second holder is refused naming the
// first, and a killed holder's lock is free at once even while a child it
// forked (not yet exec'd: it shares the lock's fd) lives on, as after a
// kill -9 of cricketd in the middle of spawning a monitor.
#include "cri/daemon/daemon_lock.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "conf/config.h"
#include "oci/sys/temp_dir.h"

namespace cricket::cri {
namespace {

class DaemonLockTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = sys::TempDir::Make("cricket-daemon-lock-");
    ASSERT_TRUE(dir.ok());
    dir_ = std::move(*dir);
    config_.state_dir = dir_.path();
    config_.root_dir = dir_.path();
  }

  // A process that takes the lock, forks a child that keeps running with
  // the lock's fd, and then is killed with SIGKILL. Returns the child's pid.
  pid_t HolderKilledLeavingAChild() {
    int ready[2];
    if (::pipe(ready) != 0) return -1;
    pid_t holder = ::fork();
    if (holder == 0) {
      auto lock = DaemonLock::Acquire(config_);
      if (!lock.ok()) ::_exit(1);
      pid_t child = ::fork();
      if (child == 0) {
        ::pause();  // killed by the test
        ::_exit(0);
      }
      (void)!::write(ready[1], &child, sizeof child);
      ::pause();
      ::_exit(0);
    }
    ::close(ready[1]);
    pid_t child = -1;
    if (::read(ready[0], &child, sizeof child) != sizeof child) child = -1;
    ::close(ready[0]);
    ::kill(holder, SIGKILL);
    ::waitpid(holder, nullptr, 0);
    return child;
  }

  sys::TempDir dir_;
  conf::Config config_;
};

TEST_F(DaemonLockTest, AKilledHoldersForkedChildDoesNotKeepTheNextDaemonOut) {
  pid_t child = HolderKilledLeavingAChild();
  ASSERT_GT(child, 0);
  ASSERT_EQ(::kill(child, 0), 0) << "the forked child should still run";
  // With flock(2) the child's copy of the fd kept the lock held (the soak's
  // restarted cricketd refused to start).
  auto lock = DaemonLock::Acquire(config_);
  EXPECT_TRUE(lock.ok()) << lock.status();
  ::kill(child, SIGKILL);
  // The child was reparented to init (or a subreaper): not ours to reap.
}

TEST_F(DaemonLockTest, ASecondProcessIsRefusedNamingTheHolder) {
  auto lock = DaemonLock::Acquire(config_);
  ASSERT_TRUE(lock.ok()) << lock.status();
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  pid_t other = ::fork();
  if (other == 0) {
    auto again = DaemonLock::Acquire(config_);
    std::string msg = again.ok() ? "acquired" : std::string(again.status().message());
    (void)!::write(out[1], msg.data(), msg.size());
    ::_exit(0);
  }
  ::close(out[1]);
  char buf[512];
  ssize_t n = ::read(out[0], buf, sizeof buf);
  ::close(out[0]);
  ::waitpid(other, nullptr, 0);
  std::string msg(buf, n > 0 ? n : 0);
  EXPECT_NE(msg.find("another cricketd (pid " + std::to_string(::getpid()) + ")"), std::string::npos)
      << msg;
}

}  // namespace
}  // namespace cricket::cri
