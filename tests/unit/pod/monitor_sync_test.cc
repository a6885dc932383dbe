// The sync line as the monitor writes it is what cricketd parses back.
#include "pod/monitor/protocol/sync.h"

#include <gtest/gtest.h>

namespace cricket::pod {
namespace {

TEST(MonitorSyncTest, StartedLineRoundTrips) {
  std::string line = SyncStartedLine({12, 11});
  EXPECT_EQ(line, "{\"monitor_pid\":11,\"pid\":12}\n");
  auto s = ParseSyncLine("c1", line.substr(0, line.size() - 1));
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(s->pid, 12);
  EXPECT_EQ(s->monitor_pid, 11);
}

TEST(MonitorSyncTest, ErrorLineKeepsCodeAndTextEvenWhenNotUtf8) {
  std::string line = SyncErrorLine(absl::NotFoundError("exec: \"nope\xff\": not found"));
  ASSERT_EQ(line.back(), '\n');
  auto s = ParseSyncLine("c1", line.substr(0, line.size() - 1));
  EXPECT_EQ(s.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.status().message(), "create container c1: exec: \"nope\xEF\xBF\xBD\": not found");
}

}  // namespace
}  // namespace cricket::pod
