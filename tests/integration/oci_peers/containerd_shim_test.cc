// Debian's containerd 1.6 and its runc v2 shim drive cricket-oci in runc's
// place (`ctr run --runc-binary`): run to completion, stdin, specs from ctr's
// flags, a failed create, run and exec on a tty, and a detached task through
// exec, ps, pause, resume, metrics, kill and delete. The same steps with
// Debian's runc must look the same to the partner.
#include <unistd.h>

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "tests/fixtures/leak_check.h"
#include "tests/fixtures/partners.h"
#include "tests/integration/oci_peers/containerd_helpers.h"

namespace cricket::testing {
namespace {

class ContainerdShimTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    for (const char* p : {"containerd", "ctr", "containerd-shim-runc-v2", "runc"}) {
      CRICKET_REQUIRE_PROGRAM(path, p);
    }
    cricket_oci_ = BuiltProgram("oci/cricket-oci");
    if (access(cricket_oci_.c_str(), X_OK) != 0) {
      if (InCI()) FAIL() << cricket_oci_ << " not built (CI=true)";
      GTEST_SKIP() << cricket_oci_ << " not built";
    }
    // Short: the ttrpc socket path must fit a sockaddr_un.
    auto dir = sys::TempDir::Make("crkpeer-");
    ASSERT_TRUE(dir.ok()) << dir.status();
    leak_.emplace(LeakCheck::Options{{dir->path()}, false});
    auto ctd = PrivateContainerd::Start(std::move(*dir));
    ASSERT_TRUE(ctd.ok()) << ctd.status();
    ctd_ = std::move(*ctd);
    auto logger = WriteArgvLogger(ctd_->dir(), "cricket-oci-logged", cricket_oci_);
    ASSERT_TRUE(logger.ok()) << logger.status();
    logger_ = *logger;
  }

  void TearDown() override {
    if (!ctd_) return;
    std::string dir = ctd_->dir();
    // Not checked: containerd's log often warns "failed to remove runc
    // container ... exit status 255" from the shim's clean-up `delete
    // --force`, with no message from the runtime; it does so for runc as
    // often as for cricket-oci, so it says nothing about the runtime.
    std::vector<std::string> forced = ctd_->Stop();
    EXPECT_TRUE(forced.empty()) << "left behind: " << absl::StrJoin(forced, ", ") << "\n"
                                << ctd_->Log();
    EXPECT_TRUE(PidsMentioning(dir).empty());
    ctd_.reset();
    leak_->ExpectNoLeaks();
  }

  // `ctr run <flags> <image> <id> args...` with `runtime` (runc if empty).
  std::vector<std::string> RunArgv(const std::string& runtime,
                                   const std::vector<std::string>& flags, const std::string& id,
                                   const std::vector<std::string>& args) {
    ctd_->Track(id);
    std::vector<std::string> argv = {"run"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    std::vector<std::string> rf = ctd_->RunFlags(runtime, RootFor(runtime));
    argv.insert(argv.end(), rf.begin(), rf.end());
    argv.push_back(PrivateContainerd::kImage);
    argv.push_back(id);
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  CmdResult Run(const std::string& runtime, const std::vector<std::string>& flags,
                const std::string& id, const std::vector<std::string>& args,
                const std::string& input = "") {
    return ctd_->Ctr(RunArgv(runtime, flags, id, args), input);
  }
  // `ctr run --rm` of a short-lived command. Now and then ctr prints nothing
  // of a process that exits at once (seen here with runc, on a loaded
  // machine); such a run is retried under a new id, so only output that is
  // lost every time fails a test.
  CmdResult RunToExit(const std::string& runtime, const std::vector<std::string>& flags,
                      const std::string& id, const std::vector<std::string>& args,
                      const std::string& input = "") {
    std::vector<std::string> all = {"--rm"};
    all.insert(all.end(), flags.begin(), flags.end());
    CmdResult r;
    for (int attempt = 0; attempt < 3 && r.out.empty(); ++attempt) {
      r = Run(runtime, all, absl::StrCat(id, "-", attempt), args, input);
    }
    return r;
  }
  std::string RootFor(const std::string& runtime) const {
    return ctd_->dir() + (runtime.empty() ? "/runc-root" : "/cricket-root");
  }
  std::vector<std::string> DetachedSequence(const std::string& runtime, const std::string& id);

  std::string cricket_oci_;
  std::string logger_;
  std::optional<LeakCheck> leak_;
  std::unique_ptr<PrivateContainerd> ctd_;
};

TEST_F(ContainerdShimTest, RunToCompletionGivesOutputAndExitCode) {
  std::vector<std::string> args = {"/bin/sh", "-c", "echo hi; exit 3"};
  CmdResult ours = RunToExit(cricket_oci_, {}, "rm-cricket", args);
  EXPECT_EQ(ours.code, 3) << ours << "\n" << ctd_->Log();
  EXPECT_EQ(ours.out, "hi\n") << ours;
  CmdResult runc = RunToExit("", {}, "rm-runc", args);
  EXPECT_EQ(runc.code, ours.code) << runc;
  EXPECT_EQ(runc.out, ours.out) << runc;
  EXPECT_EQ(ctd_->Ctr({"containers", "ls", "-q"}).out, "");
}

// `ctr run` passes its stdin on; the shim gives the runtime a pipe as the
// container's stdin. (ctr 1.6 does not pass on EOF, so one line is read.)
TEST_F(ContainerdShimTest, StdinReachesTheContainer) {
  std::vector<std::string> args = {"/bin/sh", "-c",
                                   "read line; echo \"$line\" | tr a-z A-Z; exit 6"};
  CmdResult ours = RunToExit(cricket_oci_, {}, "in-cricket", args, "piped in\n");
  EXPECT_EQ(ours.code, 6) << ours << "\n" << ctd_->Log();
  EXPECT_EQ(ours.out, "PIPED IN\n") << ours;
  CmdResult runc = RunToExit("", {}, "in-runc", args, "piped in\n");
  EXPECT_EQ(runc.code, ours.code) << runc;
  EXPECT_EQ(runc.out, ours.out) << runc;
}

// What ctr's flags put in the spec (containerd's seccomp profile, privileged,
// host network, a read-only root, user and cwd, a bind mount)
// must give the same answers inside the container under both runtimes.
TEST_F(ContainerdShimTest, SpecsFromCtrFlagsBehaveAsUnderRunc) {
  ASSERT_TRUE(sys::WriteFileAtomic(ctd_->dir() + "/shared/file", "from the host\n").ok() ||
              (sys::MkdirAll(ctd_->dir() + "/shared").ok() &&
               sys::WriteFileAtomic(ctd_->dir() + "/shared/file", "from the host\n").ok()));
  struct Case {
    std::vector<std::string> flags;
    std::string script;
  };
  std::vector<Case> cases = {
      {{"--seccomp"}, "grep Seccomp: /proc/self/status; exit 3"},
      {{"--privileged"}, "grep CapEff /proc/self/status; test -e /dev/kmsg && echo devices"},
      // The host's netns has one inode for both runs; a private one would not.
      {{"--net-host"}, "readlink /proc/self/ns/net"},
      {{"--read-only"}, "touch /x 2>/dev/null; echo touch $?"},
      {{"--user", "1000:1000", "--cwd", "/tmp", "--env", "A=b"}, "id -u; id -g; pwd; echo $A"},
      {{"--mount", "type=bind,src=" + ctd_->dir() + "/shared,dst=/mnt,options=rbind:ro"},
       "cat /mnt/file; touch /mnt/x 2>/dev/null; echo touch $?"},
  };
  int n = 0;
  for (const Case& c : cases) {
    std::vector<std::string> args = {"/bin/sh", "-c", c.script};
    CmdResult ours = RunToExit(cricket_oci_, c.flags, absl::StrCat("spec-cricket-", n), args);
    CmdResult runc = RunToExit("", c.flags, absl::StrCat("spec-runc-", n++), args);
    std::string what = absl::StrJoin(c.flags, " ");
    EXPECT_EQ(ours.code, runc.code) << what << "\ncricket-oci: " << ours << "\nrunc: " << runc;
    EXPECT_EQ(ours.out, runc.out) << what << "\ncricket-oci: " << ours << "\nrunc: " << runc;
    EXPECT_NE(ours.out, "") << what << ": " << ours;
  }
}

// On a failure the shim reads the runtime's last error from its --log file
// (--log-format json) and puts it in what ctr prints.
TEST_F(ContainerdShimTest, FailedCreateCarriesTheRuntimesError) {
  std::vector<std::string> args = {"/no/such/program"};
  CmdResult ours = Run(cricket_oci_, {"--rm"}, "fail-cricket", args);
  CmdResult runc = Run("", {"--rm"}, "fail-runc", args);
  EXPECT_NE(runc.code, 0) << runc;
  EXPECT_EQ(ours.code, runc.code) << ours;
  EXPECT_NE(ours.err.find("/no/such/program"), std::string::npos) << ours;
  EXPECT_EQ(ours.err.find("unable to retrieve OCI runtime error"), std::string::npos) << ours;
}

// `ctr run -t` and `ctr task exec -t` need a console on ctr's stdin: script(1)
// gives them one. The shim hands the runtime a --console-socket and reads the
// pty master it gets back.
TEST_F(ContainerdShimTest, RunAndExecWithATerminal) {
  CRICKET_REQUIRE_PROGRAM(script, "script");
  // ctr's own noise (a racy "resize pty" error, NULs) varies run by run, so
  // the two runtimes are compared by exit codes only.
  std::vector<std::pair<int, int>> codes;
  auto in_script = [&](const std::vector<std::string>& ctr_args) {
    return RunCmd({script, "-qec", ctd_->CtrShellLine(ctr_args), "/dev/null"});
  };
  for (const std::string& runtime : {logger_, std::string()}) {
    std::string id = runtime.empty() ? "tty-runc" : "tty-cricket";
    CmdResult run =
        in_script(RunArgv(runtime, {"-t", "--rm"}, id, {"/bin/sh", "-c", "tty; exit 2"}));
    EXPECT_EQ(run.code, 2) << run << "\n" << ctd_->Log();
    EXPECT_NE(run.out.find("/dev/pts/0"), std::string::npos) << id << ": " << run;
    std::string bg = id + "-bg";
    ASSERT_EQ(Run(runtime, {"-d"}, bg, {"/bin/sleep", "1000"}).code, 0);
    // A tty exec that exits at once can lose its output in the shim's copy
    // (with runc as well; cf. cri-o#8483), so it lingers a moment.
    CmdResult exec =
        in_script({"task", "exec", "-t", "--exec-id", "tty", "--fifo-dir", ctd_->dir() + "/fifo",
                   bg, "/bin/sh", "-c", "tty; sleep 1; exit 5"});
    EXPECT_EQ(exec.code, 5) << exec << "\n" << ctd_->Log();
    EXPECT_NE(exec.out.find("/dev/pts/"), std::string::npos) << id << ": " << exec;
    codes.push_back({run.code, exec.code});
    // --all: the runtime's `kill --all` signals every process of the task.
    EXPECT_EQ(ctd_->Ctr({"task", "kill", "--all", "-s", "KILL", bg}).code, 0);
    WaitUntil([&] { return ctd_->TaskStatus(bg) == "STOPPED"; });
    EXPECT_EQ(ctd_->Ctr({"task", "delete", bg}).code, 0);
    EXPECT_EQ(ctd_->Ctr({"containers", "rm", bg}).code, 0);
  }
  EXPECT_EQ(codes[0], codes[1]);
  std::vector<std::string> verbs = LoggedVerbs(logger_);
  EXPECT_EQ(std::count(verbs.begin(), verbs.end(), "create"), 2) << absl::StrJoin(verbs, " ");
  EXPECT_EQ(std::count(verbs.begin(), verbs.end(), "exec"), 1) << absl::StrJoin(verbs, " ");
  auto calls = sys::ReadFile(logger_ + ".log");
  EXPECT_NE(calls.ok() ? calls->find(" kill --all ") : std::string::npos, std::string::npos);
}

// One detached task through every task verb of ctr; each step's outcome as a
// line, so the two runtimes can be compared as a whole.
std::vector<std::string> ContainerdShimTest::DetachedSequence(const std::string& runtime,
                                                              const std::string& id) {
  std::vector<std::string> steps;
  auto step = [&](const std::string& name, const CmdResult& r, const std::string& extra = "") {
    steps.push_back(absl::StrCat(name, ": exit ", r.code, extra));
    if (r.code != 0) steps.back() += absl::StrCat(" (", r.err, ")");
  };
  auto status = [&](const std::string& want) {
    WaitUntil([&] { return ctd_->TaskStatus(id) == want; });
    steps.push_back("status: " + ctd_->TaskStatus(id));
  };
  // sh is the container's pid 1: it dies on TERM only through its trap.
  step("run -d", Run(runtime, {"-d", "--memory-limit", "67108864"}, id,
                     {"/bin/sh", "-c", "trap 'exit 42' TERM; while :; do sleep 0.1; done"}));
  status("RUNNING");
  EXPECT_TRUE(sys::PathExists(ctd_->ShimSocket(id))) << "clean-up would miss the shim's socket";
  CmdResult ex = ctd_->Ctr({"task", "exec", "--exec-id", "e1", "--fifo-dir", ctd_->dir() + "/fifo",
                            id, "/bin/sh", "-c", "echo from-exec; exit 4"});
  steps.push_back(absl::StrCat("exec: exit ", ex.code, " ", ex.out));
  CmdResult who = ctd_->Ctr({"task", "exec", "--exec-id", "e2", "--user", "1000", "--fifo-dir",
                             ctd_->dir() + "/fifo", id, "/bin/id", "-u"});
  steps.push_back(absl::StrCat("exec --user: exit ", who.code, " ", who.out));
  CmdResult ps = ctd_->Ctr({"task", "ps", id});
  bool has_init = ps.out.find(std::to_string(ctd_->TaskPid(id))) != std::string::npos;
  step("ps", ps, has_init ? " lists init" : " without init: " + ps.out);
  step("pause", ctd_->Ctr({"task", "pause", id}));
  status("PAUSED");
  step("resume", ctd_->Ctr({"task", "resume", id}));
  status("RUNNING");
  // The shim reads the cgroups of the init's pid itself (no `events
  // --stats`), so this shows the runtime put the task in its cgroups with
  // the limit of the spec.
  // (ctr 1.6 has no `task update`, so the runtime's `update` is not reached.)
  CmdResult metrics = ctd_->Ctr({"task", "metrics", id});
  bool limit = metrics.out.find("memory.limit_in_bytes    67108864") != std::string::npos;
  bool pids = metrics.out.find("pids.current") != std::string::npos;
  step("metrics", metrics, limit && pids ? " with the limit and pids" : " wrong: " + metrics.out);
  step("kill", ctd_->Ctr({"task", "kill", id}));
  status("STOPPED");
  CmdResult del = ctd_->Ctr({"task", "delete", id});
  // ctr reports a non-zero exit code of the deleted task as a warning.
  bool code42 = del.err.find("exit code 42") != std::string::npos;
  steps.push_back(absl::StrCat("task delete: exit ", del.code, code42 ? " task exit 42" : del.err));
  step("containers rm", ctd_->Ctr({"containers", "rm", id}));
  return steps;
}

TEST_F(ContainerdShimTest, DetachedTaskThroughEveryTaskVerb) {
  std::vector<std::string> ours = DetachedSequence(logger_, "task-cricket");
  std::vector<std::string> want = {"run -d: exit 0",
                                   "status: RUNNING",
                                   "exec: exit 4 from-exec\n",
                                   "exec --user: exit 0 1000\n",
                                   "ps: exit 0 lists init",
                                   "pause: exit 0",
                                   "status: PAUSED",
                                   "resume: exit 0",
                                   "status: RUNNING",
                                   "metrics: exit 0 with the limit and pids",
                                   "kill: exit 0",
                                   "status: STOPPED",
                                   "task delete: exit 0 task exit 42",
                                   "containers rm: exit 0"};
  EXPECT_EQ(ours, want) << ctd_->Log();
  EXPECT_EQ(DetachedSequence("", "task-runc"), ours);
  // The shim did all of it through cricket-oci.
  std::vector<std::string> verbs = LoggedVerbs(logger_);
  for (const char* v : {"create", "start", "exec", "ps", "pause", "resume", "kill", "delete"}) {
    EXPECT_NE(std::find(verbs.begin(), verbs.end(), v), verbs.end())
        << v << " not called; calls: " << absl::StrJoin(verbs, " ");
  }
}

}  // namespace
}  // namespace cricket::testing
