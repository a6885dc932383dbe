// `cricketctl logs -f` across a ReopenContainerLog rotation, and
// `cricketctl kill` (cricket.v1.Containers) against a live cricketd, and
// against a runtime that lacks cricket's service.
#include <fcntl.h>
#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "oci/sys/atomic_file.h"
#include "oci/sys/unique_fd.h"
#include "tests/e2e/ctl/ctl_e2e_helpers.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {
namespace {

constexpr char kImage[] = "localhost/e2e/busybox:1.0";

std::string Trim(std::string s) {
  while (!s.empty() && s.back() == '\n') s.pop_back();
  return s;
}

class CtlLogsKillTest : public CtlE2eTest {
 protected:
  // Imports the image once, runs a pod, creates and starts `name` running `script`.
  std::string Start(const std::string& name, const std::string& script) {
    if (pod_.empty()) {
      ImportBusybox(kImage);
      pod_ = Trim(CtlOk({"runp", PodConfigFile("logs")}));
    }
    std::string cfg = WriteFile(
        name + ".yaml", "metadata:\n  name: " + name + "\nimage:\n  image: " + kImage +
                            "\ncommand: [sh, -c, '" + script + "']\nlog_path: " + name +
                            ".log\nlinux:\n  security_context:\n    namespace_options:\n"
                            "      pid: CONTAINER\n");
    std::string id = Trim(CtlOk({"create", pod_, cfg, tmp_->Sub("logs-pod.json")}));
    CtlOk({"start", id});
    return id;
  }

  // Waits (up to ~30 s) for `text` in the container's CRI log; the log so far.
  std::string WaitForLog(const std::string& id, const std::string& text) {
    std::string out;
    for (int i = 0; i < 300 && out.find(text) == std::string::npos; i++) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      out = Ctl({"logs", id}).out;
    }
    EXPECT_NE(out.find(text), std::string::npos) << out;
    return out;
  }

  std::string State(const std::string& id) {
    return CtlJson({"inspect", id})["status"]["state"].get<std::string>();
  }

  std::string pod_;
};

TEST_F(CtlLogsKillTest, FollowReadsEveryLineAcrossARotation) {
  // 200 numbered lines, one every 50 ms: the rotation lands in the middle.
  std::string id =
      Start("counter", "i=0; while [ $i -lt 200 ]; do echo line$i; i=$((i+1)); sleep 0.05; done");
  std::string log_path = CtlJson({"inspect", id})["status"]["logPath"].get<std::string>();
  WaitForLog(id, "line3\n");
  std::string out_file = tmp_->Sub("follow.out");
  sys::UniqueFd out(open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
  ASSERT_TRUE(out);
  sys::SpawnOptions o;
  o.argv = {BuiltProgram("cri/cricketctl"), "--config", config_, "-r", daemon_->endpoint(),
            "logs", "-f", id.substr(0, 8)};
  o.stdout_fd = out.get();
  o.stderr_fd = -2;
  auto follower = sys::ChildProcess::Spawn(o);
  ASSERT_TRUE(follower.ok()) << follower.status();
  WaitForLog(id, "line20\n");
  // The kubelet's rotation: rename, then ReopenContainerLog. Lines written
  // in between go to the renamed file and must not be lost.
  ASSERT_EQ(std::rename(log_path.c_str(), (log_path + ".1").c_str()), 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(600));
  v1::ReopenContainerLogRequest reopen;
  reopen.set_container_id(id);
  ASSERT_TRUE(Call(&v1::RuntimeService::Stub::ReopenContainerLog, reopen, "ReopenContainerLog")
                  .ok());
  auto exit = follower->WaitFor(std::chrono::seconds(120));
  ASSERT_TRUE(exit.ok()) << "logs -f did not end when the container exited";
  EXPECT_EQ(exit->code(), 0);
  auto got = sys::ReadFile(out_file);
  ASSERT_TRUE(got.ok());
  std::string want;
  for (int i = 0; i < 200; i++) want += "line" + std::to_string(i) + "\n";
  EXPECT_EQ(*got, want);
  // The rotation really happened mid-stream: both files hold lines.
  auto old_file = sys::ReadFile(log_path + ".1");
  auto new_file = sys::ReadFile(log_path);
  ASSERT_TRUE(old_file.ok() && new_file.ok());
  EXPECT_NE(old_file->find("line20"), std::string::npos);
  EXPECT_NE(new_file->find("line199"), std::string::npos) << *new_file;
  EXPECT_EQ(new_file->find(" line20\n"), std::string::npos) << *new_file;
}

TEST_F(CtlLogsKillTest, KillSignalsTheContainersInit) {
  std::string id = Start(
      "trapper", "trap \"echo got-hup\" HUP; trap \"echo got-term; exit 7\" TERM; echo ready; "
                 "while true; do sleep 0.1; done");
  WaitForLog(id, "ready");
  // By name without SIG and by prefix: the handler runs, the container stays.
  EXPECT_EQ(CtlOk({"kill", "-s", "HUP", id.substr(0, 8)}), id + "\n");
  WaitForLog(id, "got-hup");
  EXPECT_EQ(State(id), "CONTAINER_RUNNING");
  // An unknown signal is refused, naming it.
  sys::CommandResult bad = Ctl({"kill", "--signal", "NOPE", id});
  EXPECT_NE(bad.exit.code(), 0);
  EXPECT_NE(bad.err.find("NOPE"), std::string::npos) << bad.err;
  EXPECT_EQ(CtlOk({"kill", "-s", "SIGTERM", id}), id + "\n");
  WaitForLog(id, "got-term");
  for (int i = 0; i < 100 && State(id) != "CONTAINER_EXITED"; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  nlohmann::json st = CtlJson({"inspect", id})["status"];
  EXPECT_EQ(st["state"], "CONTAINER_EXITED");
  EXPECT_EQ(st["exitCode"], 7);
  // A container that does not run cannot be signalled.
  sys::CommandResult exited = Ctl({"kill", id});
  EXPECT_NE(exited.exit.code(), 0);
  EXPECT_NE(exited.err.find("not running"), std::string::npos) << exited.err;
  // No -s: SIGKILL, which init cannot trap.
  std::string other =
      Start("plain", "trap \"\" TERM INT HUP; echo ready; while true; do sleep 0.1; done");
  WaitForLog(other, "ready");
  EXPECT_EQ(CtlOk({"kill", other}), other + "\n");
  for (int i = 0; i < 100 && State(other) != "CONTAINER_EXITED"; i++) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(CtlJson({"inspect", other})["status"]["exitCode"], 137);
  CtlOk({"rm", "-a", "-f"});
}

TEST_F(CtlLogsKillTest, KillOnAnotherRuntimeSaysSo) {
  // A CRI-only server answers UNIMPLEMENTED for cricket.v1, as containerd or CRI-O do.
  std::string sock = tmp_->Sub("other.sock");
  v1::RuntimeService::Service cri_only;
  grpc::ServerBuilder builder;
  builder.AddListeningPort("unix:" + sock, grpc::InsecureServerCredentials());
  builder.RegisterService(&cri_only);
  std::unique_ptr<grpc::Server> other = builder.BuildAndStart();
  ASSERT_TRUE(other);
  sys::SpawnOptions o;
  o.argv = {BuiltProgram("cri/cricketctl"), "--config", config_, "-r", "unix://" + sock, "kill",
            "-s", "HUP", "abc123"};
  auto r = sys::RunCommand(o);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->exit.code(), 1);
  EXPECT_NE(r->err.find("does not offer cricket's KillContainer"), std::string::npos) << r->err;
  EXPECT_NE(r->err.find("cricketctl stop"), std::string::npos) << r->err;
  other->Shutdown();
}

}  // namespace
}  // namespace cricket::testing
