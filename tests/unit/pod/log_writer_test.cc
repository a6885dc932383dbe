// The monitor's CRI log writer (issue 19): the runtime.log_size_max cap,
// resuming after a reopen, a failing write (ENOSPC from /dev/full) said
// once, and the cap carried from cricketd's monitor command line through
// the supervisor hand-off.
#include "pod/monitor/log_writer.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include <cstdio>

#include "oci/sys/atomic_file.h"
#include "oci/sys/fs.h"
#include "oci/sys/temp_dir.h"
#include "pod/monitor/args.h"
#include "pod/monitor/handoff.h"
#include "pod/monitor_client.h"

namespace cricket::pod::monitor {
namespace {

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

absl::StatusOr<Args> Parse(std::vector<std::string> a) {
  std::vector<char*> argv;
  for (auto& s : a) argv.push_back(s.data());
  return ParseArgs(static_cast<int>(argv.size()), argv.data());
}

class LogWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = sys::TempDir::Make("logwriter-");
    ASSERT_TRUE(t.ok());
    tmp_ = std::make_unique<sys::TempDir>(std::move(*t));
  }
  std::unique_ptr<sys::TempDir> tmp_;
};

TEST_F(LogWriterTest, StopsAtTheCapSaysSoOnceAndResumesAfterReopen) {
  const std::string path = tmp_->Sub("c.log");
  LogWriter log(path, 8192);
  ASSERT_TRUE(log.Open().ok());
  const std::string line(99, 'x');  // 100 bytes of output; ~140 as a CRI line
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 200; i++) log.Write("stdout", line + "\n");
  std::string said = ::testing::internal::GetCapturedStderr();
  std::string text = *sys::ReadFile(path);
  EXPECT_LE(text.size(), 8192u);
  EXPECT_GT(text.size(), 8192u - 200);  // it stopped at the cap, not before
  EXPECT_EQ(text.back(), '\n');         // whole lines only
  EXPECT_EQ(Count(said, "reached its size cap"), 1) << said;
  EXPECT_NE(said.find(path), std::string::npos) << said;

  // The kubelet rotated the file away; ReopenContainerLog starts a new one.
  ASSERT_EQ(std::rename(path.c_str(), (path + ".1").c_str()), 0);
  ASSERT_TRUE(log.Reopen().ok());
  log.Write("stderr", "after reopen\n");
  text = *sys::ReadFile(path);
  EXPECT_NE(text.find(" stderr F after reopen\n"), std::string::npos) << text;
}

TEST_F(LogWriterTest, ReopenOfAFileNearTheCapCountsWhatIsThere) {
  const std::string path = tmp_->Sub("c.log");
  ASSERT_TRUE(sys::WriteFileAtomic(path, std::string(8150, 'a'), 0640).ok());
  LogWriter log(path, 8192);
  ASSERT_TRUE(log.Open().ok());
  ::testing::internal::CaptureStderr();
  log.Write("stdout", "this line does not fit\n");
  ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(sys::ReadFile(path)->size(), 8150u);
}

TEST_F(LogWriterTest, NoCapWritesEverything) {
  const std::string path = tmp_->Sub("c.log");
  LogWriter log(path, -1);
  ASSERT_TRUE(log.Open().ok());
  for (int i = 0; i < 200; i++) log.Write("stdout", std::string(99, 'y') + "\n");
  EXPECT_EQ(Count(*sys::ReadFile(path), " stdout F "), 200);
}

// /dev/full answers every write with ENOSPC, as a full log disk does.
TEST_F(LogWriterTest, AFailingWriteIsSaidOnceNotPerChunk) {
  LogWriter log("/dev/full");
  ASSERT_TRUE(log.Open().ok());
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 100; i++) log.Write("stdout", "line\n");
  std::string said = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(Count(said, "\n"), 1) << said;
  EXPECT_NE(said.find("No space left on device"), std::string::npos) << said;
  // A reopen tries again, and says so again if it fails again.
  ASSERT_TRUE(log.Reopen().ok());
  ::testing::internal::CaptureStderr();
  for (int i = 0; i < 10; i++) log.Write("stdout", "line\n");
  EXPECT_EQ(Count(::testing::internal::GetCapturedStderr(), "\n"), 1);
}

TEST(MonitorLogCap, CarriedFromCricketdThroughTheSupervisorHandoff) {
  MonitorRequest r;
  r.monitor_path = "cricket-monitor";
  r.id = "c1";
  r.bundle = "/b";
  r.oci_root = "/o";
  r.exit_file = "/e";
  r.log_path = "/var/log/c.log";
  r.log_size_max = 65536;
  auto run = Parse(MonitorArgv(r, 3, 4));
  ASSERT_TRUE(run.ok()) << run.status();
  EXPECT_EQ(run->run.log_size_max, 65536);

  Supervised s{"c1", "/e", 42, -1};
  Stdio stdio;
  AttachServer attach;
  LogWriter log(run->run.log_path, run->run.log_size_max);
  std::vector<std::string> argv = SupervisorArgv("sup", run->run, s, stdio, log, attach);
  argv.push_back("--out-fd=5");
  auto sup = Parse(argv);
  ASSERT_TRUE(sup.ok()) << sup.status();
  EXPECT_EQ(sup->supervise.log_size_max, 65536);

  r.log_size_max = -1;  // no cap: no flag
  auto none = Parse(MonitorArgv(r, 3, 4));
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->run.log_size_max, -1);
}

}  // namespace
}  // namespace cricket::pod::monitor
