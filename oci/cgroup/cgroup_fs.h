// File-level operations on cgroup directories shared by the v1 and v2
// managers: single-write file updates, member listing, signalling, removal.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::oci::cgroup {

// One write(2) of `value` to dir/file. Cgroup files take a whole value per
// write and cannot be replaced atomically, so no temp+rename here.
absl::Status WriteCgroupFile(const std::string& dir, const std::string& file,
                             const std::string& value);
absl::StatusOr<std::string> ReadCgroupFile(const std::string& dir, const std::string& file);
bool CgroupFileExists(const std::string& dir, const std::string& file);

// Moves the calling thread into each v1 dir by writing "0" to its `tasks`
// (see Manager::SelfJoinDirs); the caller must be single-threaded.
absl::Status JoinSelf(const std::vector<std::string>& dirs);

// Pids in dir/cgroup.procs and in every descendant cgroup.
absl::StatusOr<std::vector<pid_t>> PidsUnder(const std::string& dir);

// Signals each pid; pids that are already gone are not an error.
absl::Status SignalPids(const std::vector<pid_t>& pids, int sig);

// Removes dir and its descendant cgroup dirs, deepest first. rmdir of a cgroup
// whose last task just exited can fail with EBUSY for a moment: retried briefly.
// A missing dir is OK.
absl::Status RemoveCgroupTree(const std::string& dir);

// Waits (briefly, polling) until no task is left under dir.
absl::Status WaitEmpty(const std::string& dir);

// The value of `key` in a flat-keyed file (memory.events, memory.oom_control);
// 0 when the file or key is missing or unreadable.
uint64_t ReadKeyedValue(const std::string& dir, const std::string& file, const std::string& key);

// /proc/<pid>/cgroup text → controller → path. v1 lines give one entry per
// controller ("cpu", "cpuacct", "name=systemd"); the v2 line ("0::/x") gives "".
std::map<std::string, std::string> ParseProcCgroup(const std::string& text);

// "/a/b/../c" → "/a/c"; never climbs above "/" (runc's CleanPath on an absolute path).
std::string CleanPath(const std::string& path);

}  // namespace cricket::oci::cgroup
