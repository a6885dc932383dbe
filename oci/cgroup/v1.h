// The cgroup v1 (and hybrid) manager: one directory per mounted hierarchy,
// plus the v2 "unified" dir on hybrid hosts, which the process only joins.
#pragma once

#include <map>
#include <set>
#include <string>

#include "oci/cgroup/manager.h"
#include "oci/cgroup/plan.h"

namespace cricket::oci::cgroup {

struct V1Layout {
  std::string path;                               // inner path, e.g. "/cricket-test/c1"
  std::map<std::string, std::string> mounts;      // controller → hierarchy mount dir
  std::map<std::string, std::string> dirs;        // controller → container dir
  std::string unified_dir;                        // hybrid: <root>/unified<path>; else ""
};

class V1Manager : public Manager {
 public:
  explicit V1Manager(V1Layout layout);

  absl::Status Create() override;
  absl::Status AddProcess(pid_t pid) override;
  std::vector<std::string> SelfJoinDirs() const override;
  absl::Status Set(const Resources& r) override;
  absl::Status Freeze() override;
  absl::Status Thaw() override;
  absl::StatusOr<Stats> GetStats() override;
  absl::StatusOr<std::vector<pid_t>> Pids() override;
  absl::Status KillAll(int sig) override;
  absl::Status Destroy() override;
  bool OomKilled() override;
  std::string Path() const override { return layout_.path; }

 private:
  std::string Dir(const std::string& controller) const;
  absl::Status MakeCpusetDir(const std::string& mount, const std::string& dir);
  absl::Status Write(const std::string& file, const std::string& value);
  absl::Status WriteMemoryLimits(const Plan& plan, size_t& i);
  absl::Status CheckBeforeUpdate(const Resources& r);
  absl::Status SetFreezer(const std::string& state);
  std::set<std::string> AllDirs() const;  // distinct dirs (co-mounts share one)

  V1Layout layout_;
};

}  // namespace cricket::oci::cgroup
