// A cricketd on a temp socket with its own CNI network, driven through the
// CRI client library: what the e2e pod and container tests share.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cri/client/client.h"
#include "oci/sys/child_process.h"
#include "tests/fixtures/cni_fixture.h"
#include "tests/fixtures/cricketd_fixture.h"
#include "tests/fixtures/leak_check.h"
#include "tests/fixtures/registry_fixture.h"

namespace cricket::testing {

namespace v1 = ::runtime::v1;

// A pod request as the kubelet sends it for a pod without a shared pid ns.
v1::RunPodSandboxRequest PodRequest(const std::string& name, const std::string& log_dir = "");

class CriE2eTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // (Re)connects, waiting until the daemon answers.
  void Connect();
  // kill -9 the running cricketd: the first one, or the last restarted one
  // (one that died already, e.g. at a crash failpoint, is just reaped).
  void KillDaemon();
  // Starts a cricketd on the same dirs, socket and flags, with `env`
  // ("NAME=value") added to ours (replacing ours of the same name) and its
  // stderr appended to `log` ("" = ours), then connects.
  void StartDaemon(const std::vector<std::string>& env = {}, const std::string& log = "");
  // KillDaemon, then StartDaemon.
  void KillAndRestart(const std::vector<std::string>& env = {}, const std::string& log = "") {
    KillDaemon();
    StartDaemon(env, log);
  }

  template <typename Req, typename Resp>
  absl::StatusOr<Resp> Call(grpc::Status (v1::RuntimeService::Stub::*rpc)(grpc::ClientContext*,
                                                                           const Req&, Resp*),
                            const Req& req, const char* name) {
    return client_->Call(client_->runtime(), rpc, req, name);
  }
  absl::StatusOr<v1::PodSandboxStatusResponse> PodStatus(const std::string& id);
  // A plain docker-registry holding the busybox test image: sets registry_
  // and image_ (the reference to pull). Check HasFatalFailure() after it.
  void ServeBusybox();
  // PullImage of image_ through cricketd.
  void PullBusybox();
  // ServeBusybox, then PullBusybox. Check HasFatalFailure() after it.
  void UseBusybox();
  // CreateContainer, then StartContainer: the container's id.
  absl::StatusOr<std::string> CreateAndStart(const v1::CreateContainerRequest& req);
  // `sh -c script` in a container through ExecSync (10 s timeout).
  absl::StatusOr<v1::ExecSyncResponse> ExecShell(const std::string& id, const std::string& script);
  absl::Status RemovePod(const std::string& id);

  // Appended to the generated config (e.g. a metrics: section); set before SetUp().
  std::string extra_config_yaml_;
  // Appended to cricketd's flags (e.g. "--log-level=" to let the config
  // file's log_level count); set before SetUp().
  std::vector<std::string> extra_daemon_args_;
  // cricketd runs as a child subreaper (set before SetUp()): see CricketdOptions.
  bool daemon_subreaper_ = false;
  // cricketd runs under this command (set before SetUp()): see CricketdOptions.
  std::vector<std::string> daemon_prefix_;
  std::unique_ptr<CniFixture> cni_;
  std::unique_ptr<LeakCheck> leaks_;
  std::unique_ptr<CricketdInstance> daemon_;
  std::unique_ptr<sys::ChildProcess> restarted_;
  std::string restarted_log_;  // where the restarted daemon's stderr goes ("" = ours)
  bool first_daemon_killed_ = false;
  std::unique_ptr<cri::client::Client> client_;
  std::unique_ptr<RegistryFixture> registry_;
  std::string image_;
  bool had_default_parent_ = true;  // cricketd's default cgroup parent existed before us
};

}  // namespace cricket::testing
