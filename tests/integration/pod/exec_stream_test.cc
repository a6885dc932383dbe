// Streaming exec (ContainerManager::ExecStream) into a running busybox
// container on the real engine: pipes and a pty, stdin with EOF, exit codes,
// Close() killing the process tree, resize, and exec after a restart.
#include <sys/socket.h>

#include <iostream>

#include "absl/strings/str_split.h"
#include "tests/integration/pod/stream_fixture.h"

namespace cricket::pod::testing {
namespace {

class ExecStreamTest : public StreamFixture {
 protected:
  void SetUp() override {
    SetUpPod(/*own_netns=*/false);
    if (IsSkipped() || HasFatalFailure()) return;
    id_ = RunContainer(Config("box", {"-c", "exec sleep 100000"}));
    ASSERT_FALSE(id_.empty());
  }

  std::unique_ptr<StreamSession> Exec(std::vector<std::string> cmd, StreamOptions o) {
    auto s = manager_->ExecStream(id_, cmd, o);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? std::move(*s) : nullptr;
  }

  ContainerId id_;
};

TEST_F(ExecStreamTest, SeparateStdoutAndStderrAndExitCode) {
  auto s = Exec({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, {});
  ASSERT_TRUE(s);
  EXPECT_EQ(s->in_fd(), -1);
  EXPECT_EQ(ReadToEof(s->out_fd()), "out\n");
  EXPECT_EQ(ReadToEof(s->err_fd()), "err\n");
  auto code = s->Wait();
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 3);
  EXPECT_EQ(*s->Wait(), 3);  // cached
  EXPECT_EQ(s->Resize(80, 24).code(), absl::StatusCode::kFailedPrecondition);
  s->Close();
  s->Close();  // idempotent
  auto ok = Exec({"true"}, {});
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok->Wait(), 0);
}

TEST_F(ExecStreamTest, StdinReachesTheProcessAndCloseStdinIsEof) {
  StreamOptions o;
  o.stdin = true;
  o.stderr = false;
  auto s = Exec({"/bin/sh", "-c", "read first; echo \"first=$first\"; cat; echo end"}, o);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->err_fd(), -1);
  Write(s->in_fd(), "one\n");
  EXPECT_EQ(ReadUntil(s->out_fd(), "first=one\n"), "first=one\n");
  Write(s->in_fd(), "two\nthree");
  ASSERT_TRUE(s->CloseStdin().ok());
  EXPECT_EQ(ReadToEof(s->out_fd()), "two\nthreeend\n");
  EXPECT_EQ(*s->Wait(), 0);
}

TEST_F(ExecStreamTest, KilledBySignalIs128PlusN) {
  auto s = Exec({"/bin/sh", "-c", "kill -9 $$"}, {});
  ASSERT_TRUE(s);
  EXPECT_EQ(*s->Wait(), 137);
  auto t = Exec({"/bin/sh", "-c", "kill -TERM $$"}, {});
  ASSERT_TRUE(t);
  EXPECT_EQ(*t->Wait(), 143);
}

TEST_F(ExecStreamTest, CloseKillsTheProcessTree) {
  // A child in the process group, and one that made a session of its own.
  auto s = Exec({"/bin/sh", "-c",
                 "sleep 100000 & echo $!; setsid sleep 100001 & echo $!; echo $$; wait"},
                {});
  ASSERT_TRUE(s);
  std::string out = ReadUntil(s->out_fd(), "\n", std::chrono::seconds(30));
  while (std::count(out.begin(), out.end(), '\n') < 3) {
    std::string more = ReadUntil(s->out_fd(), "\n");
    if (more.empty()) break;
    out += more;
  }
  std::vector<std::string> pids = absl::StrSplit(out, '\n', absl::SkipEmpty());
  ASSERT_EQ(pids.size(), 3u) << out;
  for (const auto& p : pids) EXPECT_TRUE(AliveIn(id_, p)) << p;
  s->Close();
  auto code = s->Wait();
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 137);
  EXPECT_EQ(ReadToEof(s->out_fd()), "");
  for (const auto& p : pids) EXPECT_FALSE(AliveIn(id_, p)) << p;
  // Dropping a session unclosed does the same.
  auto t = Exec({"/bin/sh", "-c", "echo $$; exec sleep 100002"}, {});
  ASSERT_TRUE(t);
  std::string pid = ReadUntil(t->out_fd(), "\n");
  pid.pop_back();
  t.reset();
  EXPECT_FALSE(AliveIn(id_, pid));
}

TEST_F(ExecStreamTest, TtyMergesOutputAndResizes) {
  StreamOptions o;
  o.stdin = true;
  o.tty = true;
  auto s = Exec({"/bin/sh", "-c", "read go; stty size; echo to-stderr >&2; tty; exit 5"}, o);
  ASSERT_TRUE(s);
  EXPECT_GE(s->out_fd(), 0);
  EXPECT_EQ(s->in_fd(), s->out_fd());
  EXPECT_EQ(s->err_fd(), -1);
  ASSERT_TRUE(s->Resize(123, 45).ok());
  Write(s->in_fd(), "go\n");
  std::string out = ReadToEof(s->out_fd());
  EXPECT_NE(out.find("45 123\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("to-stderr\r\n"), std::string::npos) << out;
  EXPECT_NE(out.find("/dev/pts/"), std::string::npos) << out;
  EXPECT_EQ(*s->Wait(), 5);
}

TEST_F(ExecStreamTest, TtyCloseStdinSendsEof) {
  StreamOptions o;
  o.stdin = true;
  o.tty = true;
  auto s = Exec({"/bin/sh", "-c", "cat >/dev/null; echo after-eof"}, o);
  ASSERT_TRUE(s);
  ASSERT_TRUE(s->CloseStdin().ok());
  EXPECT_NE(ReadToEof(s->out_fd()).find("after-eof"), std::string::npos);
  EXPECT_EQ(*s->Wait(), 0);
}

TEST_F(ExecStreamTest, ErrorsNameTheContainer) {
  auto bad = manager_->ExecStream(id_, {"/no/such/program"}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find(id_.str()), absl::string_view::npos) << bad.status();
  std::cout << "a missing program reads: " << bad.status() << "\n";
  EXPECT_EQ(manager_->ExecStream(ContainerId("nosuch"), {"true"}, {}).status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(manager_->ExecStream(id_, {}, {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(manager_->Stop(id_, 0).ok());
  EXPECT_EQ(manager_->ExecStream(id_, {"true"}, {}).status().code(),
            absl::StatusCode::kFailedPrecondition);
}

TEST_F(ExecStreamTest, WorksAfterARestart) {
  RestartManager();
  auto s = Exec({"/bin/echo", "still here"}, {});
  ASSERT_TRUE(s);
  EXPECT_EQ(ReadToEof(s->out_fd()), "still here\n");
  EXPECT_EQ(*s->Wait(), 0);
}

}  // namespace
}  // namespace cricket::pod::testing
