// The host side of spec building: device nodes, files (seccomp profiles)
// and the image's /etc/passwd and /etc/group read inside its rootfs.
#pragma once

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "pod/spec/inputs.h"

namespace cricket::pod {

// target_pid_ns: the pid of a container by id (0 when it is not running).
spec::HostLookups MakeHostLookups(std::function<pid_t(const std::string&)> container_pid);

// A file of the rootfs, resolved inside it (symlinks cannot climb out);
// "" when it is missing or unreadable. At most 4 MiB.
std::string ReadFileInRoot(const std::string& rootfs, const std::string& rel);

}  // namespace cricket::pod
