// Directory helpers: create a path, remove a tree without crossing mounts or
// following symlinks, and check existence.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::sys {

// mkdir -p; existing directories are fine.
absl::Status MkdirAll(const std::string& path, mode_t mode = 0755);

// mkdir -p, then the last directory gets exactly `mode` even when it existed
// with another: a daemon start fixes the looser modes an older version left.
absl::Status MkdirAllWithMode(const std::string& path, mode_t mode);

// rm -rf that never follows symlinks and refuses to descend into another
// mount (a leftover mount inside the tree is an error naming it, not a
// deletion of whatever is mounted there). A missing path is OK.
absl::Status RemoveAll(const std::string& path);

// Removes one empty directory (rmdir). A missing dir is OK.
absl::Status RemoveDir(const std::string& path);

bool PathExists(const std::string& path);

// Every entry name of a directory except . and .. (NotFound when missing).
absl::StatusOr<std::vector<std::string>> ListDir(const std::string& path);

}  // namespace cricket::sys
