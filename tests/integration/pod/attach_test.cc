// Attach (ContainerManager::Attach) to a running container through its
// monitor's attach socket: input reaches the container, output comes back
// on the right streams while the CRI log still gets every line, detaching
// leaves it running, stdin_once, a terminal with resize, and attach after a
// restart.
#include <iostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "cri/wire/cri_log.h"
#include "oci/sys/atomic_file.h"
#include "tests/integration/pod/stream_fixture.h"

namespace cricket::pod::testing {
namespace {

using cri::wire::ParseCriLogLine;

constexpr char kEchoLoop[] =
    "while read l; do echo \"out $l\"; echo \"err $l\" >&2; done; echo bye; exit 4";

class AttachTest : public StreamFixture {
 protected:
  void SetUp() override { SetUpPod(/*own_netns=*/false); }

  std::unique_ptr<StreamSession> Attach(const ContainerId& id, StreamOptions o) {
    auto s = manager_->Attach(id, o);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? std::move(*s) : nullptr;
  }

  // The log's lines of one stream, content only, partial entries joined.
  std::vector<std::string> LogLines(const ContainerId& id, const std::string& stream) {
    std::vector<std::string> out;
    auto c = manager_->Get(id);
    auto text = sys::ReadFile(c->log_path);
    if (!text.ok()) return out;
    size_t pos = 0;
    std::string joined;
    while (pos < text->size()) {
      size_t nl = text->find('\n', pos);
      if (nl == std::string::npos) break;
      auto line = ParseCriLogLine(text->substr(pos, nl - pos));
      pos = nl + 1;
      if (!line.ok() || line->stream != stream) continue;
      joined += line->content;
      if (line->partial) continue;
      out.push_back(std::move(joined));
      joined.clear();
    }
    return out;
  }
};

TEST_F(AttachTest, InputAndOutputWhileTheLogGoesOn) {
  ContainerIo io;
  io.stdin = true;
  ContainerId id = RunContainer(Config("loop", {"-c", kEchoLoop}, io));
  ASSERT_FALSE(id.empty());
  StreamOptions o;
  o.stdin = true;
  auto s = Attach(id, o);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->Resize(80, 24).code(), absl::StatusCode::kFailedPrecondition);
  Write(s->in_fd(), "a\n");
  EXPECT_EQ(ReadUntil(s->out_fd(), "out a\n"), "out a\n");
  EXPECT_EQ(ReadUntil(s->err_fd(), "err a\n"), "err a\n");
  // A second client sees the same output; the first detaches.
  auto watcher = Attach(id, {});
  ASSERT_TRUE(watcher);
  EXPECT_EQ(watcher->in_fd(), -1);
  s->Close();
  EXPECT_EQ(s->Wait().status().code(), absl::StatusCode::kCancelled);
  s.reset();
  EXPECT_EQ(manager_->Get(id)->state(), ContainerState::kRunning);
  // Input through the FIFO's other writer (a new attach) still works.
  auto again = Attach(id, o);
  ASSERT_TRUE(again);
  Write(again->in_fd(), "b\n");
  EXPECT_EQ(ReadUntil(again->out_fd(), "out b\n"), "out b\n");
  EXPECT_EQ(ReadUntil(watcher->out_fd(), "out b\n"), "out b\n");  // from when it came
  // Closing stdin without stdin_once leaves the container's stdin open.
  ASSERT_TRUE(again->CloseStdin().ok());
  again.reset();
  auto third = Attach(id, o);
  ASSERT_TRUE(third);
  // The monitor stays small with clients attached (shared pages included).
  auto status = sys::ReadFile(absl::StrCat("/proc/", manager_->Get(id)->monitor_pid, "/status"));
  ASSERT_TRUE(status.ok());
  size_t rss = status->find("VmRSS:");
  ASSERT_NE(rss, std::string::npos);
  std::cout << "monitor with 2 attached clients: "
            << status->substr(rss, status->find('\n', rss) - rss) << "\n";
  Write(third->in_fd(), "c\n");
  EXPECT_EQ(ReadUntil(third->out_fd(), "out c\n"), "out c\n");
  // The shell writes "err c" after "out c": wait for it, and for the
  // monitor's log write, before reading the log (it raced here).
  EXPECT_EQ(ReadUntil(third->err_fd(), "err c\n"), "err c\n");
  for (int i = 0; i < 100 && LogLines(id, "stderr").size() < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  // The log got every line, attached or not.
  EXPECT_EQ(LogLines(id, "stdout"), (std::vector<std::string>{"out a", "out b", "out c"}));
  EXPECT_EQ(LogLines(id, "stderr"), (std::vector<std::string>{"err a", "err b", "err c"}));
  ASSERT_TRUE(manager_->Stop(id, 0).ok());
  EXPECT_EQ(ReadToEof(watcher->out_fd()), "out c\n");
  auto code = watcher->Wait();
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 137);
}

TEST_F(AttachTest, StdinOnceClosesTheContainersStdin) {
  ContainerIo io;
  io.stdin = true;
  io.stdin_once = true;
  ContainerId id = RunContainer(Config("once", {"-c", kEchoLoop}, io));
  ASSERT_FALSE(id.empty());
  StreamOptions o;
  o.stdin = true;
  auto s = Attach(id, o);
  ASSERT_TRUE(s);
  Write(s->in_fd(), "x\n");
  ASSERT_TRUE(s->CloseStdin().ok());
  EXPECT_EQ(ReadToEof(s->out_fd()), "out x\nbye\n");
  EXPECT_EQ(ReadToEof(s->err_fd()), "err x\n");
  auto code = s->Wait();
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 4);
  auto c = WaitExited(id);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->exit_code, 4);
  EXPECT_EQ(LogLines(id, "stdout"), (std::vector<std::string>{"out x", "bye"}));
  EXPECT_EQ(manager_->Attach(id, {}).status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(AttachTest, StdinOnceDetachClosesStdinToo) {
  ContainerIo io;
  io.stdin = true;
  io.stdin_once = true;
  ContainerId id = RunContainer(Config("detach", {"-c", kEchoLoop}, io));
  ASSERT_FALSE(id.empty());
  StreamOptions o;
  o.stdin = true;
  auto s = Attach(id, o);
  ASSERT_TRUE(s);
  s->Close();  // as conmon: the first attach session leaving ends stdin
  auto c = WaitExited(id);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->exit_code, 4);
}

TEST_F(AttachTest, TerminalWithResize) {
  ContainerIo io;
  io.stdin = true;
  io.tty = true;
  ContainerId id = RunContainer(Config("term", {}, io));  // an interactive sh
  ASSERT_FALSE(id.empty());
  StreamOptions o;
  o.stdin = true;
  o.tty = true;
  auto s = Attach(id, o);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->err_fd(), -1);
  ASSERT_TRUE(s->Resize(101, 33).ok());
  Write(s->in_fd(), "stty size; echo to-stderr >&2\n");
  std::string out = ReadUntil(s->out_fd(), "to-stderr\r\n");
  EXPECT_NE(out.find("33 101\r\n"), std::string::npos) << out;
  s->Close();
  s.reset();
  EXPECT_EQ(manager_->Get(id)->state(), ContainerState::kRunning);
  auto again = Attach(id, o);
  ASSERT_TRUE(again);
  Write(again->in_fd(), "exit 9\n");
  auto code = again->Wait();
  ASSERT_TRUE(code.ok()) << code.status();
  EXPECT_EQ(*code, 9);
  auto log = sys::ReadFile(manager_->Get(id)->log_path);
  ASSERT_TRUE(log.ok());
  EXPECT_NE(log->find("33 101"), std::string::npos) << *log;
}

TEST_F(AttachTest, TerminalWithoutStdinStillResizes) {
  ContainerIo io;
  io.tty = true;
  ContainerId id =
      RunContainer(Config("sizes", {"-c", "while :; do stty size; sleep 0.1; done"}, io));
  ASSERT_FALSE(id.empty());
  StreamOptions o;
  o.tty = true;
  auto s = Attach(id, o);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->in_fd(), -1);
  ASSERT_TRUE(s->Resize(77, 22).ok());
  EXPECT_NE(ReadUntil(s->out_fd(), "22 77\r\n").find("22 77\r\n"), std::string::npos);
}

TEST_F(AttachTest, AClientThatDoesNotReadIsDroppedNotWaitedFor) {
  ContainerIo io;
  io.stdin = true;
  // About 8 MiB after "go": more than the monitor keeps for one client.
  ContainerId id = RunContainer(Config(
      "flood",
      {"-c", "read go; s=$(head -c 1000 /dev/zero | tr '\\0' x); i=0; "
             "while [ $i -lt 8000 ]; do echo \"$i $s\"; i=$((i+1)); done; echo done; "
             "exec sleep 100000"},
      io));
  ASSERT_FALSE(id.empty());
  auto slow = Attach(id, {});  // never read until the end
  ASSERT_TRUE(slow);
  StreamOptions o;
  o.stdin = true;
  o.stdout = false;
  o.stderr = false;
  auto feeder = Attach(id, o);
  ASSERT_TRUE(feeder);
  Write(feeder->in_fd(), "go\n");
  std::vector<std::string> lines;
  for (int i = 0; i < 3000 && (lines.empty() || lines.back() != "done"); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    lines = LogLines(id, "stdout");
  }
  ASSERT_EQ(lines.size(), 8001u);  // the log got everything
  EXPECT_EQ(lines.back(), "done");
  std::string got = ReadToEof(slow->out_fd());  // EOF: it was dropped
  EXPECT_LT(got.size(), 8000u * 1000u);
  EXPECT_GT(got.size(), 0u);
  EXPECT_EQ(manager_->Get(id)->state(), ContainerState::kRunning);
  auto fresh = Attach(id, {});
  ASSERT_TRUE(fresh);
}

TEST_F(AttachTest, RefusalsAreClear) {
  ContainerId id = RunContainer(Config("nostdin", {"-c", "exec sleep 100000"}));
  ASSERT_FALSE(id.empty());
  StreamOptions o;
  o.stdin = true;
  auto s = manager_->Attach(id, o);
  EXPECT_EQ(s.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find(id.str()), absl::string_view::npos) << s.status();
  EXPECT_EQ(manager_->Attach(ContainerId("nosuch"), {}).status().code(), absl::StatusCode::kNotFound);
  auto out_only = Attach(id, {});
  ASSERT_TRUE(out_only);
}

TEST_F(AttachTest, WorksAfterARestart) {
  ContainerIo io;
  io.stdin = true;
  ContainerId id = RunContainer(Config("survivor", {"-c", kEchoLoop}, io));
  ASSERT_FALSE(id.empty());
  RestartManager();
  StreamOptions o;
  o.stdin = true;
  auto s = Attach(id, o);
  ASSERT_TRUE(s);
  Write(s->in_fd(), "r\n");
  EXPECT_EQ(ReadUntil(s->out_fd(), "out r\n"), "out r\n");
  auto e = manager_->ExecStream(id, {"/bin/echo", "exec too"}, {});
  ASSERT_TRUE(e.ok()) << e.status();
  EXPECT_EQ(ReadToEof((*e)->out_fd()), "exec too\n");
}

}  // namespace
}  // namespace cricket::pod::testing
