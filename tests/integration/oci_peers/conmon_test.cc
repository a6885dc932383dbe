// Debian's conmon (CRI-O's monitor) drives cricket-oci as CRI-O does: conmon
// runs `create`, reports the pid on its sync pipe, the caller runs `start`,
// conmon writes the container's output to a CRI log and its exit code to an
// exit file; an exec goes through `conmon -e` and the runtime's `exec`. The
// same steps with Debian's runc must look the same.
#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "oci/sys/unique_fd.h"
#include "tests/fixtures/leak_check.h"
#include "tests/fixtures/partners.h"
#include "tests/integration/oci_peers/peer_helpers.h"

extern char** environ;

namespace cricket::testing {
namespace {

// Up to `n` lines from a pipe, fewer at EOF or after 30 s.
std::vector<std::string> ReadLines(int fd, size_t n) {
  std::string buf;
  auto lines = [&] { return static_cast<size_t>(std::count(buf.begin(), buf.end(), '\n')); };
  WaitUntil([&] {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) return false;
    char chunk[512];
    ssize_t got = read(fd, chunk, sizeof(chunk));
    if (got <= 0) return true;
    buf.append(chunk, got);
    return lines() >= n;
  });
  return absl::StrSplit(buf, '\n', absl::SkipEmpty());
}

// The "<stream> <tag> <text>" parts of a CRI log, without timestamps.
std::string CriLogLines(const std::string& path) {
  auto text = sys::ReadFile(path);
  if (!text.ok()) return "(no log: " + std::string(text.status().message()) + ")";
  std::vector<std::string> out;
  for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
    size_t sp = line.find(' ');
    out.emplace_back(sp == absl::string_view::npos ? line : line.substr(sp + 1));
  }
  return absl::StrJoin(out, "|");
}

class ConmonTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    CRICKET_REQUIRE_PROGRAM(conmon, "conmon");
    CRICKET_REQUIRE_PROGRAM(runc, "runc");
    conmon_ = conmon;
    runc_ = runc;
    cricket_oci_ = BuiltProgram("oci/cricket-oci");
    if (access(cricket_oci_.c_str(), X_OK) != 0) {
      if (InCI()) FAIL() << cricket_oci_ << " not built (CI=true)";
      GTEST_SKIP() << cricket_oci_ << " not built";
    }
    auto dir = sys::TempDir::Make("crkconmon-");
    ASSERT_TRUE(dir.ok()) << dir.status();
    dir_.emplace(std::move(*dir));
    leak_.emplace(LeakCheck::Options{{dir_->path()}, false});
    cgroup_parent_ = absl::StrCat("crkconmon-", getpid());
  }

  void TearDown() override {
    if (!dir_) return;
    for (const auto& [runtime, id] : made_) {
      (void)RunCmd({runtime, "--root", RootOf(runtime), "delete", "-f", id});
    }
    std::vector<pid_t> left = PidsMentioning(dir_->path());
    EXPECT_TRUE(left.empty()) << left.size() << " processes left (conmon?)";
    KillPids(left);
    std::vector<std::string> cgroups = ChildCgroups(cgroup_parent_);
    EXPECT_TRUE(cgroups.empty()) << "container cgroups left: " << absl::StrJoin(cgroups, " ");
    RemoveCgroups(cgroup_parent_);
    UnmountUnder(dir_->path());
    leak_->ExpectNoLeaks();
  }

  std::string RootOf(const std::string& runtime) const {
    return dir_->Sub(runtime == runc_ ? "runc-root" : "cricket-root");
  }
  CmdResult Runtime(const std::string& runtime, const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {runtime, "--root", RootOf(runtime)};
    argv.insert(argv.end(), args.begin(), args.end());
    return RunCmd(argv);
  }

  // Starts conmon (which forks and lets its first process exit) with a sync
  // pipe as CRI-O passes it; returns the sync pipe's read end.
  sys::UniqueFd Conmon(const std::string& runtime, const std::string& id,
                       const std::vector<std::string>& extra) {
    made_.emplace_back(runtime, id);
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) return sys::UniqueFd();
    sys::UniqueFd rd(p[0]), wr(p[1]);
    std::string out = dir_->Sub(id + ".conmon-out");
    sys::UniqueFd out_fd(open(out.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644));
    sys::SpawnOptions so;
    so.argv = {conmon_, "--api-version", "1", "-c", id, "-r", runtime, "-b", dir_->Sub(id)};
    std::vector<std::string> common = {"--socket-dir-path", dir_->Sub("sock"), "--log-level",
                                       "debug"};
    common.insert(common.end(), {"--runtime-arg", "--root", "--runtime-arg", RootOf(runtime)});
    so.argv.insert(so.argv.end(), common.begin(), common.end());
    so.argv.insert(so.argv.end(), extra.begin(), extra.end());
    so.env.emplace();
    for (char** e = environ; *e; ++e) so.env->push_back(*e);
    so.env->push_back(absl::StrCat("_OCI_SYNCPIPE=", wr.get()));
    so.keep_fds = {wr.get()};
    so.stdout_fd = out_fd.get();
    so.stderr_fd = out_fd.get();
    auto child = sys::ChildProcess::Spawn(so);
    EXPECT_TRUE(child.ok()) << child.status();
    if (child.ok()) (void)child->Wait();
    return rd;
  }
  std::string ConmonOut(const std::string& id) const {
    auto t = sys::ReadFile(dir_->Sub(id + ".conmon-out"));
    return t.ok() ? *t : "";
  }
  std::vector<std::string> Sequence(const std::string& runtime, const std::string& id);
  std::string ExecThroughConmon(const std::string& runtime, const std::string& id);

  std::string conmon_, runc_, cricket_oci_, cgroup_parent_;
  std::optional<sys::TempDir> dir_;
  std::optional<LeakCheck> leak_;
  std::vector<std::pair<std::string, std::string>> made_;  // runtime, id
};

// `conmon -e` runs the runtime's `exec --detach --process <spec>`; it sends
// the exec's pid and then its exit code on the sync pipe.
std::string ConmonTest::ExecThroughConmon(const std::string& runtime, const std::string& id) {
  nlohmann::json process = {{"args", {"/bin/sh", "-c", "echo in-exec; exit 7"}},
                            {"cwd", "/"},
                            {"env", {"PATH=/bin"}},
                            {"user", {{"uid", 0}, {"gid", 0}}},
                            {"terminal", false}};
  std::string spec = dir_->Sub(id + "-exec.json");
  EXPECT_TRUE(sys::WriteFileAtomic(spec, process.dump()).ok());
  std::string exits = dir_->Sub(id + "-exec-exits");
  EXPECT_TRUE(sys::MkdirAll(exits).ok());
  std::string log = dir_->Sub(id + "-exec.log");
  sys::UniqueFd sync = Conmon(runtime, id,
                              {"-u", id + "-exec", "-e", "--exec-process-spec", spec, "-p",
                               dir_->Sub(id + "-exec.pid"), "-l", log, "--exit-dir", exits});
  std::vector<std::string> msgs = ReadLines(sync.get(), 2);
  std::string code = msgs.size() == 2 ? msgs[1] : "(" + absl::StrJoin(msgs, ",") + ")";
  return absl::StrCat("exec: ", code, " log ", CriLogLines(log));
}

// CRI-O's order of calls around conmon, each step's outcome as a line.
std::vector<std::string> ConmonTest::Sequence(const std::string& runtime, const std::string& id) {
  std::vector<std::string> steps;
  std::string bundle = dir_->Sub(id);
  absl::Status made = MakeBusyboxBundle(
      bundle, cricket_oci_,
      {"/bin/sh", "-c", "echo up; echo oops >&2; trap 'exit 42' TERM; while :; do sleep 0.1; done"},
      absl::StrCat("/", cgroup_parent_, "/", id));
  EXPECT_TRUE(made.ok()) << made;
  std::string exits = dir_->Sub(id + "-exits");
  EXPECT_TRUE(sys::MkdirAll(exits).ok() && sys::MkdirAll(dir_->Sub("sock")).ok());
  std::string log = dir_->Sub(id + ".log");
  sys::UniqueFd sync = Conmon(runtime, id,
                              {"-u", id, "-n", id, "-p", bundle + "/pidfile", "-l", log,
                               "--exit-dir", exits, "-P", dir_->Sub(id + ".conmon.pid")});
  std::vector<std::string> msgs = ReadLines(sync.get(), 1);
  nlohmann::json created = nlohmann::json::parse(msgs.empty() ? "" : msgs[0], nullptr, false);
  nlohmann::json state = nlohmann::json::parse(Runtime(runtime, {"state", id}).out, nullptr, false);
  bool same_pid = !created.is_discarded() && !state.is_discarded() &&
                  created.value("data", -1) == state.value("pid", -2);
  steps.push_back(
      absl::StrCat("create: ", state.is_discarded() ? "no state" : state["status"].dump(),
                   same_pid ? ", sync pid is the state's pid" : ", pids differ"));
  steps.push_back(absl::StrCat("start: exit ", Runtime(runtime, {"start", id}).code));
  WaitUntil([&] { return CriLogLines(log).find("oops") != std::string::npos; });
  steps.push_back(ExecThroughConmon(runtime, id));
  steps.push_back(absl::StrCat("kill: exit ", Runtime(runtime, {"kill", id, "TERM"}).code));
  std::string exit_file = exits + "/" + id;
  WaitUntil([&] { return sys::PathExists(exit_file); });
  auto code = sys::ReadFile(exit_file);
  steps.push_back("exit file: " + (code.ok() ? *code : std::string(code.status().message())));
  steps.push_back("log: " + CriLogLines(log));
  steps.push_back(absl::StrCat("delete: exit ", Runtime(runtime, {"delete", id}).code));
  auto conmon_pid = sys::ReadFile(dir_->Sub(id + ".conmon.pid"));
  bool gone = conmon_pid.ok() && WaitUntil([&] { return ProcessGone(std::stoi(*conmon_pid)); });
  steps.push_back(gone ? "conmon exited" : "conmon still there");
  return steps;
}

TEST_F(ConmonTest, CreateStartExecKillAsCrioDoes) {
  std::vector<std::string> ours = Sequence(cricket_oci_, "cm-cricket");
  std::vector<std::string> want = {"create: \"created\", sync pid is the state's pid",
                                   "start: exit 0",
                                   "exec: {\"data\": 7} log stdout F in-exec",
                                   "kill: exit 0",
                                   "exit file: 42",
                                   "log: stdout F up|stderr F oops",
                                   "delete: exit 0",
                                   "conmon exited"};
  EXPECT_EQ(ours, want) << ConmonOut("cm-cricket");
  std::vector<std::string> theirs = Sequence(runc_, "cm-runc");
  EXPECT_EQ(theirs, ours) << ConmonOut("cm-runc");
}

// With -t conmon passes the runtime a --console-socket, gets the pty master
// back and logs what the container writes to its terminal as stdout.
TEST_F(ConmonTest, TerminalContainerLogsItsOutput) {
  std::vector<std::string> logs;
  for (const std::string& runtime : {cricket_oci_, runc_}) {
    std::string id = runtime == runc_ ? "tty-runc" : "tty-cricket";
    std::string bundle = dir_->Sub(id);
    ASSERT_TRUE(MakeBusyboxBundle(bundle, cricket_oci_, {"/bin/sh", "-c", "tty; exit 3"},
                                  absl::StrCat("/", cgroup_parent_, "/", id))
                    .ok());
    auto config = sys::ReadFile(bundle + "/config.json");
    ASSERT_TRUE(config.ok());
    nlohmann::json j = nlohmann::json::parse(*config);
    j["process"]["terminal"] = true;
    ASSERT_TRUE(sys::WriteFileAtomic(bundle + "/config.json", j.dump()).ok());
    std::string exits = dir_->Sub(id + "-exits");
    ASSERT_TRUE(sys::MkdirAll(exits).ok() && sys::MkdirAll(dir_->Sub("sock")).ok());
    std::string log = dir_->Sub(id + ".log");
    sys::UniqueFd sync = Conmon(
        runtime, id, {"-t", "-u", id, "-p", bundle + "/pidfile", "-l", log, "--exit-dir", exits});
    std::vector<std::string> msgs = ReadLines(sync.get(), 1);
    ASSERT_EQ(msgs.size(), 1u) << ConmonOut(id);
    EXPECT_EQ(Runtime(runtime, {"start", id}).code, 0) << ConmonOut(id);
    EXPECT_TRUE(WaitUntil([&] { return sys::PathExists(exits + "/" + id); })) << ConmonOut(id);
    auto code = sys::ReadFile(exits + "/" + id);
    EXPECT_EQ(code.ok() ? *code : "", "3") << ConmonOut(id);
    EXPECT_EQ(Runtime(runtime, {"delete", id}).code, 0);
    logs.push_back(CriLogLines(log));
  }
  EXPECT_NE(logs[0].find("stdout F /dev/pts/0"), std::string::npos) << logs[0];
  EXPECT_EQ(logs[0], logs[1]);
}

}  // namespace
}  // namespace cricket::testing
