// `cricketd check`: what would stop this node from running pods — the config,
// kernel features, cgroups, CNI config and plugins, the monitor binary and the
// daemon's dirs — one line per check. Reads only; never creates anything.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "conf/config.h"
#include "cri/daemon/options.h"

namespace cricket::cri {

// kFail: the node cannot run pods (or cricketd cannot start) until fixed.
// kWarn: works, but something an operator should know.
enum class CheckLevel { kOk, kWarn, kFail };

struct CheckResult {
  CheckLevel level = CheckLevel::kOk;
  std::string name;    // "overlayfs", "cni.plugins", ...
  std::string detail;  // what was found, or why it fails and what to do
};

// Where the kernel checks look; tests point them at fake trees.
struct NodePaths {
  std::string proc = "/proc";
  std::string cgroup_root = "/sys/fs/cgroup";
  std::string systemd_run = "/run/systemd/system";  // exists when systemd is init
  std::string modules = "/lib/modules";             // <modules>/<release>/kernel/...
};

// Kernel features: privileges, overlayfs, namespaces, seccomp, pivot_root.
std::vector<CheckResult> CheckKernel(const NodePaths& paths);
// The cgroup layout against cgroup.version and .driver, and the controllers.
std::vector<CheckResult> CheckCgroups(const conf::Config::Cgroup& cgroup, const NodePaths& paths);
// The CNI conf dir (the network cricketd would use) and its plugin binaries.
std::vector<CheckResult> CheckCni(const conf::Config::Cni& cni);
// root_dir, state_dir and the CNI cache dir: writable (or creatable).
std::vector<CheckResult> CheckDirs(const conf::Config& config);
// Files the config names: the monitor binary, a seccomp profile, auth file.
std::vector<CheckResult> CheckFiles(const conf::Config& config, const std::string& monitor_path);

// Every check above, in that order.
std::vector<CheckResult> CheckNode(const conf::Config& config, const NodePaths& paths,
                                   const std::string& monitor_path);

// "ok    overlayfs      overlay in /proc/filesystems"
std::string FormatCheck(const CheckResult& r);

// The `check` subcommand: loads the config as the daemon would (a bad config
// is a FAIL line, then only the checks that need no config run), prints one
// line per check and a summary. Returns 1 when a check failed, else 0.
int RunCheck(const DaemonOptions& options, std::ostream& out);

}  // namespace cricket::cri
