// What the engine needs of the host, for `cricketd check`: privileges,
// namespaces, seccomp, pivot_root and, when asked, cgroups. Reads only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oci/sys/host_check.h"

namespace cricket::oci {

// Where the checks look; tests point them at fake trees.
struct HostPaths {
  std::string proc = "/proc";
  std::string cgroup_root = "/sys/fs/cgroup";
  std::string systemd_run = "/run/systemd/system";  // exists when systemd is init
};

// The cgroup setup the operator asked for (cricket.yaml's cgroup.version,
// auto|v1|v2, and cgroup.driver, cgroupfs|systemd).
struct CgroupWanted {
  std::string version = "auto";
  std::string driver = "cgroupfs";
};

// Privileges, namespaces, seccomp, pivot_root; then, with `cgroup`, the
// cgroup layout against it and the controllers (cgroup::CheckHost).
std::vector<sys::CheckResult> CheckHost(const HostPaths& paths,
                                        const std::optional<CgroupWanted>& cgroup);

}  // namespace cricket::oci
