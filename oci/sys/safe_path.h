// Path resolution confined to a root directory: every lookup happens with
// openat2(RESOLVE_IN_ROOT), so "..", absolute symlinks and symlinks that climb
// are resolved as if the root were "/" — they can never reach the host.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/sys/unique_fd.h"

namespace cricket::sys {

// Opens `rel` (relative or absolute, taken as inside the root) under root_fd.
// `flags` are open(2) flags (O_CLOEXEC is added). Symlinks are followed
// inside the root unless O_NOFOLLOW is given (then only the last one is not).
absl::StatusOr<UniqueFd> OpenInRoot(int root_fd, std::string_view rel, int flags,
                                    mode_t mode = 0);

// Opens (creating as needed, mode `mode`) the directory `rel` inside the root,
// one component at a time, each confined to the root. Returns an O_PATH-free
// O_DIRECTORY fd.
absl::StatusOr<UniqueFd> MkdirAllInRoot(int root_fd, std::string_view rel, mode_t mode = 0755);

// Opens the root directory itself (O_DIRECTORY | O_PATH-less, O_CLOEXEC).
absl::StatusOr<UniqueFd> OpenRoot(const std::string& path);

// "/proc/self/fd/<fd>": a path naming exactly the object the fd holds, to use
// as a mount target after a confined lookup.
std::string FdPath(int fd);

// Splits "a//b/./c/" into {"a","b","c"}; ".." is kept (the kernel confines it).
std::vector<std::string> SplitPath(std::string_view rel);

}  // namespace cricket::sys
