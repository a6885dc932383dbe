// The cgroup v2 manager: one directory in the unified hierarchy, controllers
// enabled in each ancestor's cgroup.subtree_control, device rules as eBPF.
#pragma once

#include <string>

#include "oci/cgroup/manager.h"

namespace cricket::oci::cgroup {

struct V2Layout {
  std::string root;  // the v2 mount, e.g. /sys/fs/cgroup
  std::string path;  // inner path, e.g. "/cricket/c1"
  // False only for tests on a directory laid out like a v2 hierarchy, where
  // there is no cgroup to attach a device program to.
  bool device_bpf = true;
};

class V2Manager : public Manager {
 public:
  explicit V2Manager(V2Layout layout);

  absl::Status Create() override;
  absl::Status AddProcess(pid_t pid) override;
  absl::Status Set(const Resources& r) override;
  absl::Status Freeze() override;
  absl::Status Thaw() override;
  absl::StatusOr<Stats> GetStats() override;
  absl::StatusOr<std::vector<pid_t>> Pids() override;
  absl::Status KillAll(int sig) override;
  absl::Status Destroy() override;
  bool OomKilled() override;
  std::string Path() const override { return layout_.path; }

  const std::string& dir() const { return dir_; }

 private:
  absl::Status EnableControllers(const std::string& parent);
  absl::Status SetFrozen(bool frozen);

  V2Layout layout_;
  std::string dir_;
};

}  // namespace cricket::oci::cgroup
