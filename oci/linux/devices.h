// Device nodes in the container's /dev: the default set runc creates
// (null, zero, full, random, urandom, tty), the spec's linux.devices, and
// the standard links (/dev/fd, stdin/out/err, ptmx → pts/ptmx).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "oci/cgroup/resources.h"
#include "oci/spec.h"

namespace cricket::oci::linux {

// The default devices, as spec Devices (char, mode 0666, uid/gid 0).
std::vector<Device> DefaultDevices();

// The device cgroup rules runc appends after the spec's: mknod of anything,
// and rwm on the default devices, /dev/console, /dev/ptmx and /dev/pts/*.
std::vector<cgroup::DeviceRule> DefaultDeviceRules();

// Creates each device inside the root: mknod, or (in a user namespace, where
// mknod is not allowed) an empty file with the host's node bind-mounted on it.
absl::Status CreateDevices(int root_fd, const std::vector<Device>& devices, bool bind);

// /dev/fd → /proc/self/fd, /dev/std{in,out,err}, /dev/ptmx → pts/ptmx,
// /dev/core → /proc/kcore. Existing entries are left alone.
absl::Status CreateDevLinks(int root_fd);

}  // namespace cricket::oci::linux
