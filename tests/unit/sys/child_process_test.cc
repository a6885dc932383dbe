// Spawning, capture, timeouts and the kill-on-destruction guarantee.
#include "oci/sys/child_process.h"

#include <signal.h>

#include <gtest/gtest.h>

namespace cricket::sys {
namespace {

TEST(RunCommandTest, CapturesOutputAndExitCode) {
  SpawnOptions o;
  o.argv = {"/bin/sh", "-c", "read x; echo out:$x; echo err >&2; exit 3"};
  auto r = RunCommand(o, "hello\n");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->out, "out:hello\n");
  EXPECT_EQ(r->err, "err\n");
  EXPECT_EQ(r->exit.code(), 3);
}

TEST(RunCommandTest, TimeoutKillsAndSaysSo) {
  SpawnOptions o;
  o.argv = {"sleep", "30"};
  auto r = RunCommand(o, "", std::chrono::milliseconds(200));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_NE(r.status().message().find("sleep 30"), absl::string_view::npos);
}

TEST(RunCommandTest, CapsOutput) {
  SpawnOptions o;
  o.argv = {"/bin/sh", "-c", "head -c 100000 /dev/zero"};
  auto r = RunCommand(o, "", std::chrono::seconds(10), 1000);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->out.size(), 1000u);
}

TEST(ChildProcessTest, MissingProgramIsNotFound) {
  SpawnOptions o;
  o.argv = {"/no/such/program"};
  EXPECT_EQ(ChildProcess::Spawn(o).status().code(), absl::StatusCode::kNotFound);
}

TEST(ChildProcessTest, DestructorKillsUnwaitedChild) {
  pid_t pid;
  {
    SpawnOptions o;
    o.argv = {"sleep", "30"};
    auto c = ChildProcess::Spawn(o);
    ASSERT_TRUE(c.ok());
    pid = c->pid();
  }
  EXPECT_NE(kill(pid, 0), 0);  // gone and reaped
}

TEST(ChildProcessTest, WaitForReportsSignal) {
  SpawnOptions o;
  o.argv = {"sleep", "30"};
  auto c = ChildProcess::Spawn(o);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->WaitFor(std::chrono::milliseconds(50)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  ASSERT_TRUE(c->Signal(SIGKILL).ok());
  auto ex = c->Wait();
  ASSERT_TRUE(ex.ok());
  EXPECT_EQ(ex->signal(), SIGKILL);
  EXPECT_EQ(ex->code(), 137);
}

}  // namespace
}  // namespace cricket::sys
