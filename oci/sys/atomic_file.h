// Crash-safe file writes: temp file in the same dir → fsync → rename →
// fsync dir. A reader sees the old contents or the new, never a torn file.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::sys {

// What a write must survive. Both keep the temp+rename, so a reader never
// sees a torn file while the machine runs.
enum class Durability {
  kDurable,   // also a machine crash: fsync of the file and of its dir
  kBootOnly,  // facts about the current boot (pids, OCI state): a machine
              // crash ends what they describe, so the ~2 fsyncs buy nothing
};

absl::Status WriteFileAtomic(const std::string& path, std::string_view contents,
                             mode_t mode = 0644, Durability durability = Durability::kDurable);

// Reads a whole file. NotFound when it does not exist.
absl::StatusOr<std::string> ReadFile(const std::string& path);
// Reads fd to EOF (a pipe, stdin); `what` names it in errors.
absl::StatusOr<std::string> ReadFd(int fd, const std::string& what);

// fsync of a directory (after creating or renaming entries in it).
absl::Status SyncDir(const std::string& dir);

}  // namespace cricket::sys
