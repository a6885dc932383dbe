// What the start-up recovery tests share (tests/e2e/crash/recovery_*): a
// cricketd with the busybox image pulled, a pod with a running container, the
// record files as they are on disk, and a restart with extra environment.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tests/e2e/common/cri_e2e_fixture.h"

namespace cricket::testing {

class RecoveryE2eTest : public CriE2eTest {
 protected:
  struct Running {
    std::string pod_id, container_id;
  };
  void SetUp() override;
  // A pod `name` with one container running `sleep 1000`.
  Running RunSleeper(const std::string& name);
  absl::StatusOr<v1::ContainerStatusResponse> ContainerStatus(const std::string& id);
  // kill -9 the daemon, run `while_down`, and start a new one with `env`
  // added to ours.
  void KillAndRestartWith(const std::vector<std::string>& env,
                          const std::function<void()>& while_down = {});
  // The container's init and monitor pids (ContainerStatus verbose info).
  std::pair<pid_t, pid_t> Pids(const std::string& container_id);
  // Every file under <root>/records: relative path → content.
  std::map<std::string, std::string> RecordFiles() const;
  std::string RootDir() const { return daemon_->dir() + "/root"; }
  std::string StateDir() const { return daemon_->dir() + "/state"; }
  // The last restarted daemon's stderr (KillAndRestartWith sends it here).
  std::string RestartLog() const { return daemon_->dir() + "/restart.log"; }
};

}  // namespace cricket::testing
