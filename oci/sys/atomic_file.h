// Crash-safe file writes: temp file in the same dir → fsync → rename →
// fsync dir. A reader sees the old contents or the new, never a torn file.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::sys {

absl::Status WriteFileAtomic(const std::string& path, std::string_view contents,
                             mode_t mode = 0644);

// Reads a whole file. NotFound when it does not exist.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// fsync of a directory (after creating or renaming entries in it).
absl::Status SyncDir(const std::string& dir);

}  // namespace cricket::sys
