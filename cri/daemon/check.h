// `cricketd check`: what would stop this node from running pods, one line per
// finding. Each layer reports the host facts it owns through its CheckHost()
// (oci: privileges, kernel features, cgroups; image: overlayfs, auth file;
// network: CNI; pod: monitor, seccomp profile); the daemon adds the config and
// its own dirs and prints them. Reads only; never creates anything.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "conf/config.h"
#include "cri/daemon/options.h"
#include "oci/sys/host_check.h"

namespace cricket::cri {

using CheckLevel = sys::CheckLevel;
using CheckResult = sys::CheckResult;

// Where the host checks look; tests point them at fake trees.
struct NodePaths {
  std::string proc = "/proc";
  std::string cgroup_root = "/sys/fs/cgroup";
  std::string systemd_run = "/run/systemd/system";  // exists when systemd is init
  std::string modules = "/lib/modules";             // <modules>/<release>/kernel/...
};

// root_dir and state_dir: writable (or creatable); records set aside.
std::vector<CheckResult> CheckDirs(const conf::Config& config);

// Pod and container records a start-up set aside (unreadable: quarantined;
// from a newer cricketd): a warning naming each, since their containers run
// on unmanaged.
CheckResult CheckSetAsideRecords(const conf::Config& config);

// The layers' CheckHost() in order (oci, image, network, pod), then CheckDirs.
std::vector<CheckResult> CheckNode(const conf::Config& config, const NodePaths& paths,
                                   const std::string& monitor_path);

// "ok    overlayfs      overlay in /proc/filesystems"
std::string FormatCheck(const CheckResult& r);

// The `check` subcommand: loads the config as the daemon would (a bad config
// is a FAIL line, then only the checks that need no config run), prints one
// line per check and a summary. Returns 1 when a check failed, else 0.
int RunCheck(const DaemonOptions& options, std::ostream& out);

}  // namespace cricket::cri
