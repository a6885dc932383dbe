// Container records, exit files, name keys, list filters, and the parsing of
// what cricket-monitor reports (sync line, exec result).
#include <gtest/gtest.h>

#include "absl/strings/escaping.h"
#include "nlohmann/json.hpp"
#include "pod/container.h"
#include "pod/monitor/protocol/exit_file.h"
#include "pod/exit_watcher.h"
#include "pod/monitor_client.h"

namespace cricket::pod {
namespace {

Container Sample(ContainerState state = ContainerState::kRunning) {
  Container c = Container::Restore(state);
  c.id = "c0ffee";
  c.pod_id = "beef01";
  c.name = "web";
  c.name_key = "web_nginx_default_uid1_0";
  c.created_at_ns = 1;
  c.started_at_ns = 2;
  c.image = "busybox:latest";
  c.image_ref = "docker.io/library/busybox@sha256:ab";
  c.image_id = "sha256:cd";
  c.stop_signal = "SIGQUIT";
  c.log_path = "/var/log/pods/x/web/0.log";
  c.labels = {{"app", "web"}, {"tier", "front"}};
  c.annotations = {{"a", "b"}};
  c.config.mutable_metadata()->set_name("web");
  c.config.add_command("/bin/sh");
  c.config.mutable_linux()->mutable_resources()->set_memory_limit_in_bytes(1 << 20);
  c.pid = 42;
  c.monitor_pid = 41;
  return c;
}

TEST(ContainerRecordTest, JsonRoundTrip) {
  Container c = Sample();
  auto back = Container::FromJson(c.ToJson());
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->ToJson(), c.ToJson());
  EXPECT_EQ(back->config.command(0), "/bin/sh");
  EXPECT_EQ(back->config.linux().resources().memory_limit_in_bytes(), 1 << 20);
  EXPECT_EQ(back->state(), ContainerState::kRunning);
  EXPECT_EQ(back->labels.at("tier"), "front");
}

TEST(ContainerRecordTest, BadRecordsAreDataLoss) {
  EXPECT_EQ(Container::FromJson({{"id", "x"}}).status().code(), absl::StatusCode::kDataLoss);
  nlohmann::json j = Sample().ToJson();
  j["state"] = "Dancing";
  EXPECT_FALSE(Container::FromJson(j).ok());
}

TEST(ContainerRecordTest, NameKey) {
  runtime::v1::ContainerMetadata m;
  m.set_name("web");
  m.set_attempt(3);
  runtime::v1::PodSandboxMetadata p;
  p.set_name("nginx");
  p.set_namespace_("default");
  p.set_uid("u-1");
  p.set_attempt(7);
  EXPECT_EQ(ContainerNameKey(m, p), "web_nginx_default_u-1_3");
}

TEST(ExitFileTest, RoundTripAndReasons) {
  ExitRecord r;
  r.exit_code = 137;
  r.finished_at_ns = 99;
  r.reason = "OOMKilled";
  r.signal = 9;
  auto back = ParseExitRecord(ExitRecordToJson(r));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->exit_code, 137);
  EXPECT_EQ(back->finished_at_ns, 99);
  EXPECT_EQ(back->reason, "OOMKilled");
  EXPECT_EQ(back->signal, 9);
  EXPECT_EQ(ExitReason(0, false), "Completed");
  EXPECT_EQ(ExitReason(3, false), "Error");
  EXPECT_EQ(ExitReason(0, true), "OOMKilled");
  EXPECT_EQ(ParseExitRecord(R"({"exit_code":2})")->reason, "Error");
  EXPECT_FALSE(ParseExitRecord("{\"exit_code\":").ok());
  EXPECT_FALSE(ParseExitRecord("[]").ok());
}

TEST(ExitFileTest, ApplyExitOnlyToLiveContainers) {
  Container c = Sample();
  ExitRecord r;
  r.exit_code = 1;
  r.finished_at_ns = 5;
  r.reason = "Error";
  EXPECT_TRUE(ApplyExit(r, &c));
  EXPECT_EQ(c.state(), ContainerState::kExited);
  EXPECT_EQ(c.exit_code, 1);
  EXPECT_EQ(c.finished_at_ns, 5);
  EXPECT_EQ(c.reason, "Error");
  ExitRecord later;
  later.finished_at_ns = 9;
  EXPECT_FALSE(ApplyExit(later, &c));  // the first exit wins
  EXPECT_EQ(c.exit_code, 1);
  Container created = Sample(ContainerState::kCreated);
  ExitRecord killed;
  killed.exit_code = 137;
  killed.signal = 9;
  EXPECT_TRUE(ApplyExit(killed, &created));
  EXPECT_EQ(created.message, "killed by signal 9");
}

ContainerFilter F(const std::string& field, const std::string& v) {
  ContainerFilter f;
  if (field == "id") f.id_prefix = v;
  if (field == "pod") f.pod_id_prefix = v;
  return f;
}
ContainerFilter FState(ContainerState s) {
  ContainerFilter f;
  f.state = s;
  return f;
}
ContainerFilter FLabels(std::map<std::string, std::string> l) {
  ContainerFilter f;
  f.labels = std::move(l);
  return f;
}

TEST(ContainerFilterTest, Matches) {
  Container c = Sample();
  EXPECT_TRUE(Matches({}, c));
  EXPECT_TRUE(Matches(F("id", "c0f"), c));
  EXPECT_FALSE(Matches(F("id", "c0x"), c));
  EXPECT_TRUE(Matches(FState(ContainerState::kRunning), c));
  EXPECT_FALSE(Matches(FState(ContainerState::kExited), c));
  EXPECT_TRUE(Matches(F("pod", "beef"), c));
  EXPECT_FALSE(Matches(F("pod", "dead"), c));
  EXPECT_TRUE(Matches(FLabels({{"app", "web"}}), c));
  EXPECT_FALSE(Matches(FLabels({{"app", "web"}, {"tier", "back"}}), c));
  EXPECT_FALSE(Matches(FLabels({{"missing", ""}}), c));
}

TEST(ExitWatcherTest, IdFromName) {
  EXPECT_EQ(ExitWatcher::IdFromName("abc.json"), "abc");
  EXPECT_EQ(ExitWatcher::IdFromName("abc.json.tmp-123"), "");
  EXPECT_EQ(ExitWatcher::IdFromName(".json"), "");
  EXPECT_EQ(ExitWatcher::IdFromName(".abc.json"), "");
  EXPECT_EQ(ExitWatcher::IdFromName("abc"), "");
}

TEST(MonitorClientTest, SyncLine) {
  auto ok = ParseSyncLine("c1", R"({"pid":12,"monitor_pid":11})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->pid, 12);
  EXPECT_EQ(ok->monitor_pid, 11);
  auto err = ParseSyncLine("c1", R"({"error":"exec: \"nope\": not found","code":5})");
  EXPECT_EQ(err.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(err.status().message().find("create container c1"), absl::string_view::npos);
  EXPECT_NE(err.status().message().find("nope"), absl::string_view::npos);
  EXPECT_EQ(ParseSyncLine("c1", "").status().code(), absl::StatusCode::kInternal);
  EXPECT_EQ(ParseSyncLine("c1", "{}").status().code(), absl::StatusCode::kInternal);
}

TEST(MonitorClientTest, ExecOutput) {
  nlohmann::json j = {{"exit_code", 3},
                      {"timed_out", false},
                      {"stdout", absl::Base64Escape(std::string("out\0x", 5))},
                      {"stderr", absl::Base64Escape("err")}};
  auto r = ParseExecOutput("c1", j.dump(), std::chrono::seconds(1));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit_code, 3);
  EXPECT_EQ(r->out, std::string("out\0x", 5));
  EXPECT_EQ(r->err, "err");
  j["timed_out"] = true;
  EXPECT_EQ(ParseExecOutput("c1", j.dump(), std::chrono::seconds(1)).status().code(),
            absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(ParseExecOutput("c1", R"({"error":"no such container","code":5})",
                            std::chrono::seconds(1)).status().code(),
            absl::StatusCode::kNotFound);
}

TEST(MonitorClientTest, Argv) {
  MonitorRequest r;
  r.monitor_path = "/m";
  r.id = "c1";
  r.bundle = "/b";
  r.oci_root = "/r";
  r.exit_file = "/e";
  r.log_path = "/l";
  r.tty = true;
  std::vector<std::string> want = {"/m", "run", "--id=c1", "--bundle=/b", "--root=/r",
                                   "--exit-file=/e", "--sync-fd=7", "--log=/l", "--tty"};
  EXPECT_EQ(MonitorArgv(r, 7), want);
}

}  // namespace
}  // namespace cricket::pod
