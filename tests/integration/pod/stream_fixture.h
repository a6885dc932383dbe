// A fixture for the streaming tests (exec, attach, port-forward): one pod —
// host network, or its own netns on a private CNI bridge — a ContainerManager
// over the real engine and cricket-monitor, busybox rootfs per container, and
// bounded readers for session fds. Everything is removed in TearDown.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "network/network_manager.h"
#include "oci/sys/temp_dir.h"
#include "pod/container_manager.h"
#include "pod/record_store.h"
#include "tests/fixtures/cni_fixture.h"
#include "tests/fixtures/leak_check.h"

namespace cricket::pod::testing {

// The image layer faked: "busybox:test" resolves, and each container gets a
// fresh busybox-static rootfs under dir.
class BusyboxImages : public RootfsProvider {
 public:
  explicit BusyboxImages(std::string dir) : dir_(std::move(dir)) {}
  absl::StatusOr<ResolvedImage> Resolve(const std::string& ref) override;
  absl::StatusOr<std::string> PrepareRootfs(const std::string& id, const std::string&) override;
  absl::Status RemoveRootfs(const std::string& id) override;

 private:
  std::string dir_;
};

// The container's own stdio settings (ContainerConfig stdin, stdin_once, tty).
struct ContainerIo {
  bool stdin = false, stdin_once = false, tty = false;
};

class StreamFixture : public ::testing::Test {
 protected:
  // Call from SetUp; own_netns needs the CNI plugins (skips without them).
  void SetUpPod(bool own_netns);
  void TearDown() override;
  // A new ContainerManager over the same dirs, recovered: a cricketd restart.
  void RestartManager();

  runtime::v1::ContainerConfig Config(const std::string& name, std::vector<std::string> args,
                                      ContainerIo io = {});
  // Create + Start; "" and a test failure on error.
  ContainerId RunContainer(const runtime::v1::ContainerConfig& cfg);
  // Bounded waits (hang guards, not timings under test).
  absl::StatusOr<Container> WaitExited(const ContainerId& id);
  // Reads fd until `needle` shows up in what was read (returns all of it),
  // or EOF/EIO (returns what there was), or the guard expires.
  static std::string ReadUntil(int fd, const std::string& needle,
                               std::chrono::seconds guard = std::chrono::seconds(30));
  static std::string ReadToEof(int fd) { return ReadUntil(fd, std::string()); }
  static void Write(int fd, const std::string& data);
  // Whether pid (in the container's pid namespace) is alive and no zombie.
  bool AliveIn(const ContainerId& id, const std::string& pid);

  std::string monitor_;
  std::optional<sys::TempDir> tmp_;
  Paths paths_;
  std::unique_ptr<cricket::testing::CniFixture> cni_;
  std::unique_ptr<cricket::testing::LeakCheck> leaks_;
  std::unique_ptr<RecordStore> records_;
  std::unique_ptr<network::NetworkManager> network_;
  std::unique_ptr<RootfsProvider> images_;
  std::unique_ptr<SandboxManager> sandboxes_;
  std::unique_ptr<ContainerManager> manager_;
  runtime::v1::PodSandboxConfig pod_config_;
  PodId pod_id_;
  bool own_netns_ = false;
};

}  // namespace cricket::pod::testing
