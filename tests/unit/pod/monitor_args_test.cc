// cricket-monitor's pure helpers: the `supervise` command line that run execs
// into (flags in, the same fds out), the go socket's flag, and the OOM
// counter's text.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pod/monitor/args.h"
#include "pod/monitor/oom_counter.h"
#include "pod/monitor_client.h"

namespace cricket::pod::monitor {
namespace {

absl::StatusOr<Args> Parse(std::vector<std::string> a) {
  std::vector<char*> argv;
  for (auto& s : a) argv.push_back(s.data());
  return ParseArgs(static_cast<int>(argv.size()), argv.data());
}

TEST(MonitorArgs, SuperviseTakesTheHandedOverFds) {
  auto a = Parse({"cricket-monitor-supervise", "supervise", "--id=c1", "--exit-file=/run/x.json",
                  "--init-pid=42", "--log=/var/log/c.log", "--log-fd=3", "--out-fd=6",
                  "--err-fd=8", "--attach-dir-fd=10", "--attach-fd=11", "--stdin-fd=7",
                  "--oom-fd=4", "--oom-parent-fd=5", "--oom-parent-base=3", "--stdin",
                  "--stdin-once"});
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_EQ(a->mode, Args::Mode::kSupervise);
  const SuperviseArgs& s = a->supervise;
  EXPECT_EQ(s.id, "c1");
  EXPECT_EQ(s.exit_file, "/run/x.json");
  EXPECT_EQ(s.log_path, "/var/log/c.log");
  EXPECT_EQ(s.init_pid, 42);
  EXPECT_EQ(s.log_fd, 3);
  EXPECT_EQ(s.out_fd, 6);
  EXPECT_EQ(s.err_fd, 8);
  EXPECT_EQ(s.attach_dir_fd, 10);
  EXPECT_EQ(s.attach_fd, 11);
  EXPECT_EQ(s.stdin_fd, 7);
  EXPECT_EQ(s.oom_fd, 4);
  EXPECT_EQ(s.oom_parent_fd, 5);
  EXPECT_EQ(s.oom_parent_base, 3);
  EXPECT_FALSE(s.tty);
  EXPECT_TRUE(s.stdin);
  EXPECT_TRUE(s.stdin_once);
}

TEST(MonitorArgs, SuperviseDefaultsAndRequiredFlags) {
  auto a = Parse({"m", "supervise", "--id=c1", "--exit-file=/e", "--init-pid=7", "--out-fd=5",
                  "--tty"});
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->supervise.err_fd, -1);
  EXPECT_EQ(a->supervise.log_fd, -1);
  EXPECT_EQ(a->supervise.oom_fd, -1);
  EXPECT_EQ(a->supervise.oom_parent_fd, -1);
  EXPECT_EQ(a->supervise.oom_parent_base, 0);
  EXPECT_TRUE(a->supervise.tty);
  EXPECT_FALSE(Parse({"m", "supervise", "--id=c1", "--exit-file=/e", "--out-fd=5"}).ok());
  EXPECT_FALSE(Parse({"m", "supervise", "--id=c1", "--init-pid=7", "--out-fd=5"}).ok());
  EXPECT_FALSE(Parse({"m", "supervise", "--id=c1", "--exit-file=/e", "--init-pid=7"}).ok());
  EXPECT_FALSE(Parse({"m", "supervise", "--id=c1", "--exit-file=/e", "--init-pid=7",
                      "--out-fd=5", "--bundle=/b"})
                   .ok());
}

// cricketd's side and the monitor's agree on the go socket's flag.
TEST(MonitorArgs, RunWaitsOnTheGoFdCricketdPasses) {
  MonitorRequest r;
  r.monitor_path = "cricket-monitor";
  r.id = "c1";
  r.bundle = "/b";
  r.oci_root = "/o";
  r.exit_file = "/e";
  std::vector<std::string> argv = MonitorArgv(r, 3, 4);
  EXPECT_EQ(argv.back(), "--go-fd=4");
  auto a = Parse(argv);
  ASSERT_TRUE(a.ok()) << a.status();
  EXPECT_EQ(a->run.sync_fd, 3);
  EXPECT_EQ(a->run.go_fd, 4);
  auto without = Parse(MonitorArgv(r, 3));
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_EQ(without->run.go_fd, -1);
}

TEST(OomCounter, ReadsOomKillFromEitherFile) {
  // v1 memory.oom_control: oom_kill_disable must not be taken for oom_kill.
  EXPECT_EQ(ParseOomKillCount("oom_kill_disable 1\nunder_oom 0\noom_kill 3\n"), 3u);
  EXPECT_EQ(ParseOomKillCount("oom_kill_disable 0\nunder_oom 0\noom_kill 0\n"), 0u);
  // v2 memory.events.
  EXPECT_EQ(ParseOomKillCount("low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\noom_group_kill 0\n"), 1u);
  EXPECT_EQ(ParseOomKillCount(""), 0u);
  EXPECT_EQ(ParseOomKillCount("oom_kill_disable 1\n"), 0u);
}

OomEvidence Evidence(std::optional<uint64_t> own, std::optional<uint64_t> parent,
                     uint64_t parent_base) {
  OomEvidence e;
  e.own = own;
  e.parent = parent;
  e.parent_base = parent_base;
  return e;
}

// The systemd driver's case: the scope's cgroup (own counter) is gone at the
// exit, the pod's cgroup (parent) counted the kill.
TEST(OomCounter, AtExitTheParentStandsInForARemovedCgroup) {
  EXPECT_TRUE(OomKilledAtExit(Evidence(std::nullopt, 4, 3), 137));
  // Nothing new in the pod since the container was created: a plain kill.
  EXPECT_FALSE(OomKilledAtExit(Evidence(std::nullopt, 3, 3), 137));
  // The parent is asked about SIGKILL exits only.
  EXPECT_FALSE(OomKilledAtExit(Evidence(std::nullopt, 4, 3), 1));
  EXPECT_FALSE(OomKilledAtExit(Evidence(std::nullopt, std::nullopt, 0), 137));
  // The own counter, when readable, decides alone (a sibling's kill is not ours).
  EXPECT_FALSE(OomKilledAtExit(Evidence(0, 4, 3), 137));
  EXPECT_TRUE(OomKilledAtExit(Evidence(1, std::nullopt, 0), 137));
}

}  // namespace
}  // namespace cricket::pod::monitor
