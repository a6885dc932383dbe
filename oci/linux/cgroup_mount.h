// The spec's "cgroup" mount: on v1/hybrid hosts a tmpfs holding a bind of the
// container's own cgroup dir of every hierarchy (as runc does); on a pure v2
// host a bind of the container's cgroup2 dir.
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "oci/linux/mounts.h"

namespace cricket::oci::linux {

struct CgroupHierarchy {
  std::string mount_point;  // /sys/fs/cgroup/cpu
  std::string root;         // the mount's root inside the hierarchy ("/")
  std::string fstype;       // cgroup | cgroup2
  std::string controllers;  // "cpu", "name=systemd", "" for cgroup2
};

// Pure parsers for /proc/self/mountinfo and /proc/self/cgroup text.
std::vector<CgroupHierarchy> ParseCgroupMounts(const std::string& mountinfo);
// The path of the process in the hierarchy with these controllers ("" = v2).
std::string CgroupPathFor(const std::string& proc_cgroup, const std::string& controllers);

absl::Status MountCgroups(int root_fd, const MountStep& step);

}  // namespace cricket::oci::linux
