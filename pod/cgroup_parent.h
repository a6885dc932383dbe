// A pod's cgroup parent (LinuxPodSandboxConfig.cgroup_parent) as a cgroup path
// from the hierarchy root, for the cgroupfs and systemd drivers, and where the
// pod's infra process goes under it. Pure: table-tested without root.
#pragma once

#include <string>

#include "absl/status/statusor.h"

namespace cricket::pod {

// cgroupfs: an absolute path ("/kubepods/besteffort/pod<uid>"), kept cleaned.
// systemd: a slice name ("kubepods-besteffort-pod<uid>.slice") expanded as systemd
// nests slices ("/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod<uid>.slice").
// A slice name given to the cgroupfs driver is expanded too (the kubelet's own
// cgroupfs driver never sends one, but tools do). "" → "" (no parent: the
// containers go to the node default). InvalidArgument naming the value otherwise.
absl::StatusOr<std::string> PodCgroupParentPath(const std::string& cgroup_parent,
                                                bool systemd_driver);

// The OCI linux.cgroupsPath of the pod's infra process, as containerd places its
// pause container: cgroupfs "<parent or /cricket>/<pod id>", systemd
// "<slice or system.slice>:cricket:<pod id>" (a scope in that slice).
absl::StatusOr<std::string> InfraCgroupsPath(const std::string& cgroup_parent, bool systemd_driver,
                                             const std::string& pod_id);

}  // namespace cricket::pod
