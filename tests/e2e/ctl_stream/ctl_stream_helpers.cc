// The cricketctl streaming e2e fixture.
#include "tests/e2e/ctl_stream/ctl_stream_helpers.h"

#include <poll.h>
#include <unistd.h>

#include "tests/fixtures/busybox_registry.h"
#include "tests/fixtures/image_builder.h"
#include "tests/fixtures/partners.h"

namespace cricket::testing {

void CtlStreamTest::SetUp() {
  CriE2eTest::SetUp();
  if (IsSkipped() || HasFatalFailure()) return;
  ServeBusybox();
  if (HasFatalFailure()) return;
  auto logs = sys::TempDir::Make("cricket-e2e-logs-");
  ASSERT_TRUE(logs.ok());
  logs_ = std::make_unique<sys::TempDir>(std::move(*logs));
}


std::string CtlStreamTest::StartContainer(const std::vector<std::string>& cmd, bool stdin,
                                          bool tty) {
  PullBusybox();
  if (pod_id_.empty()) {
    pod_req_ = PodRequest("ctl", logs_->path());
    auto pod = Call(&v1::RuntimeService::Stub::RunPodSandbox, pod_req_, "RunPodSandbox");
    EXPECT_TRUE(pod.ok()) << pod.status();
    if (!pod.ok()) return "";
    pod_id_ = pod->pod_sandbox_id();
  }
  static int n = 0;
  v1::CreateContainerRequest create;
  create.set_pod_sandbox_id(pod_id_);
  *create.mutable_sandbox_config() = pod_req_.config();
  auto* cfg = create.mutable_config();
  cfg->mutable_metadata()->set_name("c" + std::to_string(n++));
  cfg->mutable_image()->set_image(image_);
  cfg->set_log_path(cfg->metadata().name() + ".log");
  for (const auto& a : cmd) cfg->add_command(a);
  cfg->set_stdin(stdin);
  cfg->set_tty(tty);
  cfg->mutable_linux()->mutable_security_context()->mutable_namespace_options()->set_pid(
      v1::NamespaceMode::CONTAINER);
  auto ctr = Call(&v1::RuntimeService::Stub::CreateContainer, create, "CreateContainer");
  EXPECT_TRUE(ctr.ok()) << ctr.status();
  if (!ctr.ok()) return "";
  v1::StartContainerRequest start;
  start.set_container_id(ctr->container_id());
  auto started = Call(&v1::RuntimeService::Stub::StartContainer, start, "StartContainer");
  EXPECT_TRUE(started.ok()) << started.status();
  return ctr->container_id();
}

bool CtlStreamTest::StreamingMissing(const std::string& container_id) {
  v1::ExecRequest req;
  req.set_container_id(container_id);
  req.add_cmd("true");
  req.set_stdout(true);
  auto r = Call(&v1::RuntimeService::Stub::Exec, req, "Exec");
  v1::PortForwardRequest pf;
  pf.set_pod_sandbox_id(pod_id_);
  pf.add_port(80);
  auto p = Call(&v1::RuntimeService::Stub::PortForward, pf, "PortForward");
  bool missing = (!r.ok() && r.status().code() == absl::StatusCode::kUnimplemented) ||
                 (!p.ok() && p.status().code() == absl::StatusCode::kUnimplemented);
  if (missing && InCI()) ADD_FAILURE() << "cricketd has no streaming server (CI=true)";
  return missing;
}

std::vector<std::string> CtlStreamTest::CtlArgv(const std::vector<std::string>& args) const {
  // --config: the test's own (missing) file, never the host's /etc/cricketctl.yaml.
  std::vector<std::string> argv = {BuiltProgram("cri/cricketctl"), "--config",
                                   daemon_->dir() + "/cricketctl.yaml", "-r", daemon_->endpoint()};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

absl::StatusOr<sys::CommandResult> CtlStreamTest::Ctl(const std::vector<std::string>& args,
                                                      const std::string& input) {
  sys::SpawnOptions so;
  so.argv = CtlArgv(args);
  return sys::RunCommand(so, input, std::chrono::minutes(2), 64 << 20);
}

std::string CtlStreamTest::CtlOk(const std::vector<std::string>& args) {
  auto r = Ctl(args);
  EXPECT_TRUE(r.ok() && r->exit.code() == 0) << (r.ok() ? r->err : r.status().ToString());
  return r.ok() ? r->out : "";
}

std::string ReadUntil(int fd, const std::string& needle, std::chrono::milliseconds timeout) {
  std::string got;
  auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (got.find(needle) == std::string::npos) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd p{fd, POLLIN, 0};
    if (left.count() <= 0 || poll(&p, 1, left.count()) <= 0) break;
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n <= 0) break;
    got.append(buf, n);
  }
  return got;
}

}  // namespace cricket::testing
