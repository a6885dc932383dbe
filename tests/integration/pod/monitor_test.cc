// cricket-monitor against the real engine: a busybox container's output in
// the CRI log (F and P lines), exit codes and signals in the exit file, log
// reopening, OOM kills, ExecSync through the helper mode, and a monitor that
// lives on without its parent. Every test deletes its containers (which
// removes their cgroups), waits for its monitors and removes its dirs.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <fstream>
#include <optional>
#include <sstream>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "cri/wire/cri_log.h"
#include "gtest/gtest.h"
#include "oci/runtime.h"
#include "oci/spec.h"
#include "oci/spec_json.h"
#include "oci/state_dir.h"
#include "oci/sys/atomic_file.h"
#include "oci/sys/child_process.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "pod/monitor/protocol/exit_file.h"
#include "pod/monitor_client.h"
#include "tests/fixtures/partners.h"
#include "tests/fixtures/rootfs_builder.h"

namespace cricket::pod {
namespace {

using cri::wire::CriLogLine;
using cri::wire::ParseCriLogLine;

std::string MonitorPath() { return testing::BuiltProgram("pod/cricket-monitor"); }

class MonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    CRICKET_REQUIRE_ROOT();
    if (access(MonitorPath().c_str(), X_OK) != 0) {
      if (testing::InCI()) FAIL() << MonitorPath() << " not built (CI=true)";
      GTEST_SKIP() << MonitorPath() << " not built: build target cricket-monitor";
    }
    auto tmp = sys::TempDir::Make("cricket-monitor-test-");
    ASSERT_TRUE(tmp.ok()) << tmp.status();
    tmp_.emplace(std::move(*tmp));
    chmod(tmp_->path().c_str(), 0711);
    rootfs_ = tmp_->Sub("rootfs");
    ASSERT_TRUE(testing::BuildBusyboxRootfs(rootfs_).ok());
    oci::RuntimeOptions ro;
    ro.root = tmp_->Sub("oci");
    rt_.emplace(ro);
  }

  void TearDown() override {
    if (!rt_) return;
    for (const auto& [id, monitor] : started_) {
      absl::Status st = rt_->Delete(id, /*force=*/true);
      EXPECT_TRUE(st.ok() || absl::IsNotFound(st)) << st;
      for (int i = 0; i < 500 && monitor > 0 && oci::ProcAlive(monitor); ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
      if (monitor > 0 && oci::ProcAlive(monitor)) {
        ADD_FAILURE() << "monitor " << monitor << " outlived its container";
        (void)sys::SignalPid(monitor, SIGKILL);
      }
    }
  }

  // A bundle dir for `id` whose config runs args; `edit` may change the JSON.
  std::string MakeBundle(const std::string& id, std::vector<std::string> args,
                         const std::function<void(nlohmann::json&)>& edit = {}) {
    std::string bundle = tmp_->Sub("bundle-" + id);
    EXPECT_TRUE(sys::MkdirAll(bundle).ok());
    oci::Spec s = oci::DefaultSpec();
    s.process->terminal = false;
    s.process->args = std::move(args);
    s.root.path = rootfs_;
    s.root.readonly = false;
    s.linux_spec->cgroups_path = absl::StrCat("/cricket-monitor-test-", getpid(), "-", id);
    nlohmann::json j = oci::SpecToJson(s);
    if (edit) edit(j);
    EXPECT_TRUE(sys::WriteFileAtomic(bundle + "/config.json", j.dump(2)).ok());
    return bundle;
  }

  MonitorRequest Request(const std::string& id, const std::string& bundle) {
    MonitorRequest r;
    r.monitor_path = MonitorPath();
    r.id = id;
    r.bundle = bundle;
    r.oci_root = tmp_->Sub("oci");
    r.log_path = tmp_->Sub(id + ".log");
    r.exit_file = tmp_->Sub(id + ".exit");
    r.pid_file = bundle + "/monitor.pid";
    r.monitor_log = bundle + "/monitor.log";
    return r;
  }

  absl::StatusOr<MonitorStarted> Launch(const MonitorRequest& r) {
    absl::StatusOr<MonitorStarted> s = LaunchMonitor(r);
    if (s.ok()) started_.emplace_back(r.id, s->monitor_pid);
    return s;
  }

  // Waits (bounded) for the exit file; the bound is a hang guard, not a timing check.
  std::optional<ExitRecord> WaitExit(const std::string& path) {
    for (int i = 0; i < 3000; ++i) {
      absl::StatusOr<std::string> text = sys::ReadFile(path);
      if (text.ok()) {
        absl::StatusOr<ExitRecord> r = ParseExitRecord(*text);
        if (r.ok()) return *r;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

  std::vector<CriLogLine> ReadLog(const std::string& path) {
    std::vector<CriLogLine> out;
    absl::StatusOr<std::string> text = sys::ReadFile(path);
    if (!text.ok()) return out;
    for (absl::string_view l : absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
      absl::StatusOr<CriLogLine> line = ParseCriLogLine(std::string_view(l.data(), l.size()));
      EXPECT_TRUE(line.ok()) << line.status();
      if (line.ok()) out.push_back(*line);
    }
    return out;
  }

  // Waits until the log holds a line with `content` (hang guard only).
  bool WaitLogLine(const std::string& path, const std::string& content) {
    for (int i = 0; i < 3000; ++i) {
      for (const auto& l : ReadLog(path)) {
        if (l.content == content) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  std::string NewId(const std::string& name) {
    static std::atomic<int> n{0};
    return absl::StrCat("mon-", name, "-", getpid(), "-", n++);
  }

  std::optional<sys::TempDir> tmp_;
  std::optional<oci::Runtime> rt_;
  std::string rootfs_;
  std::vector<std::pair<std::string, pid_t>> started_;
};

TEST_F(MonitorTest, WritesCriLogAndExitCode) {
  std::string id = NewId("log");
  std::string bundle = MakeBundle(
      id, {"/bin/sh", "-c",
           "echo hello; echo oops >&2; printf 'no-newline'; sleep 0; echo; "
           "head -c 20000 /dev/zero | tr '\\0' x; echo; exit 3"});
  MonitorRequest r = Request(id, bundle);
  auto s = Launch(r);
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_GT(s->pid, 0);
  ASSERT_TRUE(rt_->Start(id).ok());
  auto exit = WaitExit(r.exit_file);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 3);
  EXPECT_EQ(exit->reason, "Error");
  EXPECT_EQ(exit->signal, 0);
  EXPECT_GT(exit->finished_at_ns, 0);
  std::vector<CriLogLine> lines = ReadLog(r.log_path);
  std::string out, err;
  bool saw_partial = false;
  for (const auto& l : lines) {
    (l.stream == "stdout" ? out : err) += l.content + (l.partial ? "" : "\n");
    saw_partial |= l.partial;
  }
  EXPECT_EQ(err, "oops\n");
  EXPECT_EQ(out, "hello\nno-newline\n" + std::string(20000, 'x') + "\n");
  EXPECT_TRUE(saw_partial) << "a 20000-byte line must be split with P";
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front().content, "hello");
  EXPECT_FALSE(lines.front().partial);
}

TEST_F(MonitorTest, KilledBeforeStartRecordsSignal) {
  std::string id = NewId("kill");
  MonitorRequest r = Request(id, MakeBundle(id, {"/bin/true"}));
  auto s = Launch(r);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_TRUE(rt_->Kill(id, SIGKILL, false).ok());
  auto exit = WaitExit(r.exit_file);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->signal, SIGKILL);
  EXPECT_EQ(exit->exit_code, 128 + SIGKILL);
  EXPECT_EQ(exit->reason, "Error");
}

TEST_F(MonitorTest, LivesOnWithoutItsParentInItsOwnSession) {
  std::string id = NewId("detach");
  MonitorRequest r = Request(id, MakeBundle(id, {"/bin/sh", "-c", "echo done"}));
  auto s = Launch(r);
  ASSERT_TRUE(s.ok()) << s.status();
  // The process we spawned has exited already; the monitor is not our child.
  std::ifstream stat(absl::StrCat("/proc/", s->monitor_pid, "/stat"));
  std::string all((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  std::vector<std::string> f = absl::StrSplit(all.substr(all.rfind(')') + 2), ' ');
  ASSERT_GT(f.size(), 4u);
  EXPECT_NE(std::stoi(f[1]), getpid()) << "ppid";
  EXPECT_NE(getsid(s->monitor_pid), getsid(0));
  absl::StatusOr<std::string> pid_file = sys::ReadFile(r.pid_file);
  ASSERT_TRUE(pid_file.ok());
  EXPECT_EQ(std::stoi(*pid_file), s->monitor_pid);
  ASSERT_TRUE(rt_->Start(id).ok());
  auto exit = WaitExit(r.exit_file);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->exit_code, 0);
  EXPECT_EQ(exit->reason, "Completed");
  EXPECT_TRUE(WaitLogLine(r.log_path, "done"));
}

// Once the container exists the monitor execs the lean, static supervisor in
// its own place (pod/monitor/handoff.h): the same pid (still init's parent and
// the pid in monitor.pid), no shared library mapped, the name ps shows unchanged.
TEST_F(MonitorTest, BecomesTheLeanSupervisorUnderTheSamePid) {
  std::string id = NewId("lean");
  MonitorRequest r = Request(id, MakeBundle(id, {"/bin/sh", "-c", "echo lean"}));
  auto s = Launch(r);
  ASSERT_TRUE(s.ok()) << s.status();
  std::string proc = absl::StrCat("/proc/", s->monitor_pid);
  std::string exe;
  for (int i = 0; i < 500; ++i) {  // the exec follows the report (hang guard only)
    char buf[4096];
    ssize_t n = readlink((proc + "/exe").c_str(), buf, sizeof(buf) - 1);
    exe = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    if (absl::EndsWith(exe, "/cricket-monitor-supervise")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(absl::EndsWith(exe, "/cricket-monitor-supervise")) << exe;
  absl::StatusOr<std::string> comm = sys::ReadFile(proc + "/comm");
  ASSERT_TRUE(comm.ok());
  EXPECT_EQ(*comm, "cricket-monitor\n");
  absl::StatusOr<std::string> maps = sys::ReadFile(proc + "/maps");
  ASSERT_TRUE(maps.ok());
  EXPECT_EQ(maps->find(".so"), std::string::npos) << *maps;
  absl::StatusOr<std::string> stat = sys::ReadFile(absl::StrCat("/proc/", s->pid, "/stat"));
  ASSERT_TRUE(stat.ok());
  std::vector<std::string> f = absl::StrSplit(stat->substr(stat->rfind(')') + 2), ' ');
  ASSERT_GT(f.size(), 2u);
  EXPECT_EQ(std::stoi(f[1]), s->monitor_pid) << "init's parent";
  ASSERT_TRUE(rt_->Start(id).ok());
  auto exit = WaitExit(r.exit_file);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->reason, "Completed");
  EXPECT_TRUE(WaitLogLine(r.log_path, "lean"));
}

TEST_F(MonitorTest, ReopensLogOnSigusr1) {
  std::string id = NewId("reopen");
  MonitorRequest r = Request(id, MakeBundle(id, {"/bin/sh", "-c", "read a; echo one; read b; echo two"}));
  r.stdin = true;
  auto s = Launch(r);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_TRUE(rt_->Start(id).ok());
  sys::UniqueFd in(open((r.bundle + "/stdin").c_str(), O_WRONLY | O_CLOEXEC));
  ASSERT_TRUE(in.valid());
  ASSERT_EQ(write(in.get(), "a\n", 2), 2);
  ASSERT_TRUE(WaitLogLine(r.log_path, "one"));
  ASSERT_EQ(rename(r.log_path.c_str(), (r.log_path + ".1").c_str()), 0);
  ASSERT_TRUE(sys::SignalPid(s->monitor_pid, SIGUSR1).ok());
  ASSERT_EQ(write(in.get(), "b\n", 2), 2);
  ASSERT_TRUE(WaitExit(r.exit_file).has_value());
  std::vector<CriLogLine> now = ReadLog(r.log_path);
  ASSERT_EQ(now.size(), 1u);
  EXPECT_EQ(now[0].content, "two");
  std::vector<CriLogLine> old = ReadLog(r.log_path + ".1");
  ASSERT_EQ(old.size(), 1u);
  EXPECT_EQ(old[0].content, "one");
}

TEST_F(MonitorTest, MemoryLimitExceededIsOomKilled) {
  std::string id = NewId("oom");
  static constexpr int64_t kLimit = 16 << 20;
  MonitorRequest r = Request(id, MakeBundle(id, {"/bin/tail", "/dev/zero"}, [](nlohmann::json& j) {
    j["linux"]["resources"]["memory"] = {{"limit", kLimit}, {"swap", kLimit}};
  }));
  auto s = Launch(r);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_TRUE(rt_->Start(id).ok());
  auto exit = WaitExit(r.exit_file);
  ASSERT_TRUE(exit.has_value());
  EXPECT_EQ(exit->reason, "OOMKilled");
  EXPECT_EQ(exit->signal, SIGKILL);
}

TEST_F(MonitorTest, ExecHelperCapturesOutputCodeAndTimeout) {
  std::string id = NewId("exec");
  MonitorRequest r = Request(id, MakeBundle(id, {"/bin/sh", "-c", "read forever"}));
  r.stdin = true;
  auto s = Launch(r);
  ASSERT_TRUE(s.ok()) << s.status();
  ASSERT_TRUE(rt_->Start(id).ok());
  ExecRequest e;
  e.monitor_path = MonitorPath();
  e.oci_root = r.oci_root;
  e.id = id;
  e.cmd = {"/bin/sh", "-c", "echo out; echo err >&2; exit 4"};
  auto res = RunExecHelper(e);
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_EQ(res->exit_code, 4);
  EXPECT_EQ(res->out, "out\n");
  EXPECT_EQ(res->err, "err\n");
  e.cmd = {"/bin/sh", "-c", "head -c 20000000 /dev/zero"};
  res = RunExecHelper(e);
  ASSERT_TRUE(res.ok()) << res.status();
  EXPECT_EQ(res->out.size(), size_t{16} << 20);
  e.cmd = {"/bin/sleep", "1000"};
  e.timeout = std::chrono::milliseconds(300);
  res = RunExecHelper(e);
  EXPECT_EQ(res.status().code(), absl::StatusCode::kDeadlineExceeded) << res.status();
  e.id = "no-such-container";
  e.timeout = std::chrono::milliseconds(0);
  EXPECT_EQ(RunExecHelper(e).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(MonitorTest, CreateFailureIsReportedWithTheEnginesText) {
  std::string id = NewId("bad");
  std::string bundle = MakeBundle(id, {"/bin/true"}, [this](nlohmann::json& j) {
    j["root"]["path"] = tmp_->Sub("no-such-rootfs");
  });
  auto s = Launch(Request(id, bundle));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find(id), absl::string_view::npos) << s.status();
  EXPECT_FALSE(sys::PathExists(tmp_->Sub("oci/" + id))) << "engine state left behind";
}

}  // namespace
}  // namespace cricket::pod
