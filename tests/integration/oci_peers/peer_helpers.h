// Shared pieces of the tests where Debian's runtime partners (containerd's
// runc shim, conmon) drive cricket-oci in runc's place: commands with captured
// output, a logging wrapper that records which runtime verbs a partner called,
// a busybox bundle, and clean-up by pid, mount point and cgroup name.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::testing {

struct CmdResult {
  int code = -1;
  std::string out;
  std::string err;
};
std::ostream& operator<<(std::ostream& os, const CmdResult& r);

// Runs argv to completion (killed after `timeout`) with `input` on stdin,
// output captured.
CmdResult RunCmd(const std::vector<std::string>& argv, const std::string& input = "",
                 std::chrono::seconds timeout = std::chrono::seconds(60));

// Writes <dir>/<name>: a shell script that appends its argv to <dir>/<name>.log
// and then execs `runtime` with it, so the partner's calls are on record while
// the runtime keeps the partner's pid and stdio as it would unwrapped.
absl::StatusOr<std::string> WriteArgvLogger(const std::string& dir, const std::string& name,
                                            const std::string& runtime);
// The runtime verbs (create, start, exec, ...) the logger saw, in call order:
// the first word of each call after runc's global flags.
std::vector<std::string> LoggedVerbs(const std::string& logger_path);

// A bundle at `dir`: rootfs from busybox-static and a config.json made by
// `cricket-oci spec`, with terminal off, the given args and cgroups path.
absl::Status MakeBusyboxBundle(const std::string& dir, const std::string& cricket_oci,
                               const std::vector<std::string>& args,
                               const std::string& cgroups_path);

// Polls `done` until it holds or `limit` passes; says which.
bool WaitUntil(const std::function<bool()>& done,
               std::chrono::seconds limit = std::chrono::seconds(30));
bool ProcessGone(pid_t pid);  // no such pid, or a zombie

// Pids (not ours) whose command line contains `text`, e.g. a temp dir that
// only our partner processes name.
std::vector<pid_t> PidsMentioning(const std::string& text);
// SIGKILL by pid to each of `pids`, then waits until they are gone.
void KillPids(const std::vector<pid_t>& pids);
// Unmounts (detached) every mount point at or below `dir`, deepest first.
void UnmountUnder(const std::string& dir);
// /sys/fs/cgroup/<controller>/<relative> dirs that exist.
std::vector<std::string> CgroupDirs(const std::string& relative);
// The cgroups below those dirs: a runtime's `delete` removes the container's
// own cgroup, while a parent shared by containers stays, with runc as well.
std::vector<std::string> ChildCgroups(const std::string& relative);
// Kills what is left in those cgroups and removes them, children first.
void RemoveCgroups(const std::string& relative);

}  // namespace cricket::testing
