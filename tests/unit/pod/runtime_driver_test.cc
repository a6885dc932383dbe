// The pure half of RuntimeClass handlers: the external runtime's command
// lines, its error texts mapped to codes, the exec process it is handed, and
// the monitor flags that carry the handler from cricketd to cricket-monitor.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "pod/monitor/args.h"
#include "pod/monitor/driver_config.h"
#include "pod/monitor/runtime/driver.h"
#include "pod/monitor/runtime/external_argv.h"
#include "pod/monitor_client.h"

namespace cricket::pod::driver {
namespace {

DriverConfig Runc() {
  DriverConfig c;
  c.external = "/usr/sbin/runc";
  c.root = "/run/r";
  c.options = {"--debug"};
  return c;
}

TEST(ExternalRuntime, GlobalFlagsComeBeforeTheVerb) {
  DriverConfig c = Runc();
  c.systemd_cgroup = true;
  EXPECT_EQ(ExternalArgv(c, "create", {"--bundle=/b", "id1"}, "/b/runtime.log"),
            (std::vector<std::string>{"/usr/sbin/runc", "--root=/run/r", "--systemd-cgroup",
                                      "--log=/b/runtime.log", "--log-format=json", "--debug",
                                      "create", "--bundle=/b", "id1"}));
  EXPECT_EQ(ExternalArgv(Runc(), "kill", {"id1", "9"}),
            (std::vector<std::string>{"/usr/sbin/runc", "--root=/run/r", "--debug", "kill", "id1",
                                      "9"}));
}

TEST(ExternalRuntime, ErrorsTakeTheLoggedMessageAndAMeaningfulCode) {
  std::string log =
      "{\"level\":\"info\",\"msg\":\"starting\"}\n"
      "{\"level\":\"error\",\"msg\":\"container_linux.go: exec: \\\"nope\\\": not found\"}\n";
  EXPECT_EQ(LastErrorMessage(log), "container_linux.go: exec: \"nope\": not found");
  EXPECT_EQ(LastErrorMessage("plain text\nlast line\n\n"), "last line");
  absl::Status gone = ExternalError(Runc(), "delete", "c1", 1, "container does not exist");
  EXPECT_TRUE(absl::IsNotFound(gone)) << gone;
  EXPECT_NE(gone.message().find("/usr/sbin/runc delete c1: container does not exist"),
            std::string::npos);
  EXPECT_TRUE(absl::IsFailedPrecondition(ExternalError(Runc(), "kill", "c1", 1, "container not running")));
  EXPECT_TRUE(absl::IsFailedPrecondition(ExternalError(Runc(), "kill", "c1", 1, "kill: No such process")));
  EXPECT_EQ(ExternalError(Runc(), "create", "c1", 1, "bad spec").code(), absl::StatusCode::kUnknown);
}

TEST(ExternalRuntime, ExecProcessIsTheContainersWithTheCommand) {
  std::string config = R"({"process":{"args":["sleep","1"],"env":["PATH=/bin","A=1"],
      "cwd":"/w","user":{"uid":5,"gid":6},"terminal":false,"consoleSize":{"height":1,"width":2}}})";
  oci::ExecOptions o;
  o.args = {"sh", "-c", "id"};
  o.tty = true;
  o.env = {"A=2"};
  o.console_size = oci::ConsoleSize{24, 80};
  auto p = ExecProcessJson(config, o);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(*p,
            R"({"args":["sh","-c","id"],"consoleSize":{"height":24,"width":80},"cwd":"/w",)"
            R"("env":["PATH=/bin","A=2"],"terminal":true,"user":{"gid":6,"uid":5}})");
  o.user = "0";
  EXPECT_EQ(ExecProcessJson(config, o).status().code(), absl::StatusCode::kUnimplemented);
  EXPECT_FALSE(ExecProcessJson("{}", oci::ExecOptions()).ok());
}

TEST(ExternalRuntime, MonitorFlagsCarryTheHandlerToEveryMode) {
  DriverConfig c = Runc();
  c.options = {"--debug", "--rootless=false"};
  pod::MonitorRequest r;
  r.monitor_path = "/m";
  r.id = "c1";
  r.bundle = "/b";
  r.oci_root = c.root;
  r.exit_file = "/e";
  r.runtime_flags = ExternalRuntimeFlags(c);
  std::vector<std::string> argv = pod::MonitorArgv(r, 3);
  std::vector<char*> cargv;
  for (auto& s : argv) cargv.push_back(s.data());
  auto a = monitor::ParseArgs(static_cast<int>(cargv.size()), cargv.data());
  ASSERT_TRUE(a.ok()) << a.status();
  DriverConfig back = monitor::DriverConfigOf(a->run);
  EXPECT_EQ(back.external, c.external);
  EXPECT_EQ(back.root, c.root);
  EXPECT_EQ(back.options, c.options);
  EXPECT_TRUE(ExternalRuntimeFlags(DriverConfig{}).empty());  // the built-in engine
}

}  // namespace
}  // namespace cricket::pod::driver
