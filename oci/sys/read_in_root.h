// Reading a file that an image or a container put there, from the host side.
// The host must never open what it has not checked: a device node opened by
// root on the host can act (a watchdog reboots the node), a FIFO blocks the
// reader forever, a huge file eats memory. So the name is resolved inside the
// root with O_PATH (which opens nothing), the inode is checked with fstat,
// and only a regular file of bounded size is reopened for reading through
// that very O_PATH fd.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace cricket::sys {

// The contents of `rel` (relative or absolute, both taken inside the root;
// symlinks, ".." and absolute symlinks are resolved inside it). Errors name
// the file: NotFound when it (or a directory on the way) is missing,
// FailedPrecondition when it is anything but a regular file, ResourceExhausted
// when it is larger than max_bytes.
absl::StatusOr<std::string> ReadRegularFileInRoot(int root_fd, std::string_view rel,
                                                  size_t max_bytes);
absl::StatusOr<std::string> ReadRegularFileInRoot(const std::string& root, std::string_view rel,
                                                  size_t max_bytes);

}  // namespace cricket::sys
