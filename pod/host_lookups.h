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

// What an image's /etc/passwd or /etc/group may weigh.
inline constexpr size_t kMaxImageFileBytes = 4u << 20;

// A file of the rootfs (/etc/passwd, /etc/group), resolved inside it and read
// only if it is a regular file of at most kMaxImageFileBytes
// (sys::ReadRegularFileInRoot); "" when it is missing. A device, a FIFO, a
// directory or a huge file is an error naming the file.
absl::StatusOr<std::string> ReadImageFile(const std::string& rootfs, const std::string& rel);

}  // namespace cricket::pod
