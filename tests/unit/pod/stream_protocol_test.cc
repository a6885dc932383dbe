// The wire formats between cricketd and cricket-monitor for streaming: the
// attach socket's resize record and the streaming exec helper's command line.
#include "gtest/gtest.h"
#include "pod/monitor/protocol/attach_protocol.h"
#include "pod/exec_stream_session.h"

namespace cricket::pod {
namespace {

TEST(AttachProtocolTest, ResizeRecordIsLittleEndianWidthThenHeight) {
  unsigned char rec[kAttachResizeSize];
  EncodeAttachResize(0x1234, 0x00ff, rec);
  EXPECT_EQ(rec[0], 0x34);
  EXPECT_EQ(rec[1], 0x12);
  EXPECT_EQ(rec[2], 0xff);
  EXPECT_EQ(rec[3], 0x00);
  uint16_t w = 0, h = 0;
  DecodeAttachResize(rec, &w, &h);
  EXPECT_EQ(w, 0x1234);
  EXPECT_EQ(h, 0x00ff);
  EncodeAttachResize(65535, 1, rec);
  DecodeAttachResize(rec, &w, &h);
  EXPECT_EQ(w, 65535);
  EXPECT_EQ(h, 1);
}

TEST(ExecStreamArgvTest, PipesArePassedByNumberAndTheCommandFollowsDashes) {
  ExecStreamRequest r;
  r.monitor_path = "/usr/libexec/cricket-monitor";
  r.oci_root = "/run/cricket/oci";
  r.id = "abc";
  r.cmd = {"sh", "-c", "echo --tty"};
  r.opts.stdin = true;
  int fds[3] = {5, -1, 7};
  std::vector<std::string> want = {"/usr/libexec/cricket-monitor", "exec", "--stream", "--id=abc",
                                   "--root=/run/cricket/oci", "--control-fd=4", "--stdin-fd=5",
                                   "--stderr-fd=7", "--", "sh", "-c", "echo --tty"};
  EXPECT_EQ(ExecStreamArgv(r, 4, -1, fds), want);
}

TEST(ExecStreamArgvTest, TtyPassesTheConsoleSocketInstead) {
  ExecStreamRequest r;
  r.monitor_path = "m";
  r.oci_root = "root";
  r.id = "x";
  r.systemd_cgroup = true;
  r.cmd = {"top"};
  r.opts.tty = true;
  int fds[3] = {-1, -1, -1};
  std::vector<std::string> want = {"m", "exec", "--stream", "--id=x", "--root=root",
                                   "--control-fd=3", "--systemd-cgroup", "--tty",
                                   "--console-fd=9", "--", "top"};
  EXPECT_EQ(ExecStreamArgv(r, 3, 9, fds), want);
}

}  // namespace
}  // namespace cricket::pod
