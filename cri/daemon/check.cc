// `cricketd check`: the config, CNI, dirs and files part, the runner and the
// output (kernel and cgroup checks are in check_kernel.cc).
#include "cri/daemon/check.h"

#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cri/daemon/pod_layer.h"
#include "network/cni_config.h"
#include "network/cni_exec.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"

namespace cricket::cri {
namespace {

CheckResult Result(CheckLevel level, std::string name, std::string detail) {
  return {level, std::move(name), std::move(detail)};
}

std::string Parent(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == 0 || slash == std::string::npos ? "/" : path.substr(0, slash);
}

// The plugins of `net` found in the bin dirs; a FAIL naming the missing ones.
CheckResult CheckPlugins(const network::NetworkConfigList& net, const conf::Config::Cni& cni) {
  std::vector<std::string> found, missing;
  for (const network::PluginConf& p : net.plugins) {
    auto path = network::FindPlugin(p.type, cni.bin_dirs);
    (path.ok() ? found : missing).push_back(path.ok() ? *path : p.type);
  }
  if (!missing.empty()) {
    return Result(CheckLevel::kFail, "cni.plugins",
                  absl::StrCat("network \"", net.name, "\": plugin ", absl::StrJoin(missing, ", "),
                               " not found in ", absl::StrJoin(cni.bin_dirs, ":"),
                               " (Debian: containernetworking-plugins)"));
  }
  return Result(CheckLevel::kOk, "cni.plugins", absl::StrJoin(found, " "));
}

// Without a loopback plugin pods get lo down (unless the chain brings it up
// itself).
std::vector<CheckResult> CheckLoopback(const network::NetworkConfigList& net,
                                       const conf::Config::Cni& cni) {
  for (const network::PluginConf& p : net.plugins) {
    if (p.type == "loopback") return {};
  }
  if (network::FindPlugin("loopback", cni.bin_dirs).ok()) return {};
  return {Result(CheckLevel::kWarn, "cni.plugins",
                 absl::StrCat("no loopback plugin in ", absl::StrJoin(cni.bin_dirs, ":"),
                              ": pods get lo down"))};
}

// A dir cricketd writes to: fine when it, or the dir it will be created in, is
// writable.
CheckResult CheckWritableDir(const std::string& name, const std::string& path) {
  std::string existing = path;
  struct stat st {};
  while (::stat(existing.c_str(), &st) != 0 && existing != "/") existing = Parent(existing);
  if (existing == path && !S_ISDIR(st.st_mode)) {
    return Result(CheckLevel::kFail, name, absl::StrCat(path, " exists and is not a directory"));
  }
  if (::access(existing.c_str(), W_OK) != 0) {
    return Result(CheckLevel::kFail, name,
                  absl::StrCat(existing, " is not writable: ", std::strerror(errno)));
  }
  struct statvfs vfs {};
  if (::statvfs(existing.c_str(), &vfs) == 0 && (vfs.f_flag & ST_RDONLY) != 0) {
    return Result(CheckLevel::kFail, name,
                  absl::StrCat(existing, " is on a read-only file system"));
  }
  if (existing != path) {
    return Result(CheckLevel::kOk, name,
                  absl::StrCat(path, " (created at start in ", existing, ")"));
  }
  return Result(CheckLevel::kOk, name, absl::StrCat(path, " writable"));
}

CheckResult CheckConfigFiles(const DaemonOptions& options) {
  const conf::LoadOptions& l = options.load;
  std::string detail = sys::PathExists(l.config_file)
                           ? absl::StrCat(l.config_file, " valid")
                           : absl::StrCat("built-in defaults (no ", l.config_file, ")");
  if (!l.config_dir.empty() && sys::PathExists(l.config_dir)) {
    absl::StrAppend(&detail, ", drop-ins from ", l.config_dir);
  }
  return Result(CheckLevel::kOk, "config", detail);
}

}  // namespace

std::vector<CheckResult> CheckCni(const conf::Config::Cni& cni) {
  std::vector<CheckResult> out;
  struct stat st {};
  if (::stat(cni.conf_dir.c_str(), &st) != 0) {
    // A network DaemonSet (flannel, calico, ...) often writes its config later.
    out.push_back(Result(CheckLevel::kWarn, "cni.conf_dir",
                         absl::StrCat(cni.conf_dir, ": ", std::strerror(errno),
                                      "; pods cannot start until a network config is there")));
    return out;
  }
  if (!S_ISDIR(st.st_mode)) {
    out.push_back(Result(CheckLevel::kFail, "cni.conf_dir",
                         absl::StrCat(cni.conf_dir, " is not a directory")));
    return out;
  }
  network::ConfDirScan scan = network::ScanConfDir(cni.conf_dir);
  for (const network::SkippedFile& f : scan.skipped) {
    out.push_back(Result(scan.networks.empty() ? CheckLevel::kFail : CheckLevel::kWarn,
                         "cni.conf_dir", absl::StrCat("skipped ", f.path, ": ", f.reason)));
  }
  if (scan.networks.empty()) {
    out.push_back(Result(scan.skipped.empty() ? CheckLevel::kWarn : CheckLevel::kFail,
                         "cni.conf_dir",
                         absl::StrCat("no valid network config in ", cni.conf_dir,
                                      "; pods cannot start until there is one")));
    return out;
  }
  const network::NetworkConfigList& net = scan.networks.front();
  out.push_back(Result(CheckLevel::kOk, "cni.conf_dir",
                       absl::StrCat("network \"", net.name, "\" from ", net.source, " (cniVersion ",
                                    net.cni_version, ")")));
  out.push_back(CheckPlugins(net, cni));
  for (auto& r : CheckLoopback(net, cni)) out.push_back(std::move(r));
  return out;
}

std::vector<CheckResult> CheckDirs(const conf::Config& config) {
  return {CheckWritableDir("root_dir", config.root_dir),
          CheckWritableDir("state_dir", config.state_dir),
          CheckWritableDir("cni.cache_dir", config.cni.cache_dir)};
}

std::vector<CheckResult> CheckFiles(const conf::Config& config, const std::string& monitor_path) {
  std::vector<CheckResult> out;
  if (::access(monitor_path.c_str(), X_OK) == 0) {
    out.push_back(Result(CheckLevel::kOk, "monitor", monitor_path));
  } else {
    out.push_back(Result(
        CheckLevel::kFail, "monitor",
        absl::StrCat(monitor_path, ": ", std::strerror(errno), " (set runtime.monitor_path)")));
  }
  const std::string& profile = config.runtime.seccomp_profile;
  if (!profile.empty() && ::access(profile.c_str(), R_OK) != 0) {
    out.push_back(Result(CheckLevel::kFail, "seccomp_profile",
                         absl::StrCat(profile, ": ", std::strerror(errno))));
  }
  const std::string& auth = config.registries.auth_file;
  if (!auth.empty() && ::access(auth.c_str(), R_OK) != 0) {
    out.push_back(Result(
        CheckLevel::kWarn, "registries.auth_file",
        absl::StrCat(auth, ": ", std::strerror(errno), "; pulls go without stored credentials")));
  }
  return out;
}

std::vector<CheckResult> CheckNode(const conf::Config& config, const NodePaths& paths,
                                   const std::string& monitor_path) {
  std::vector<CheckResult> out = CheckKernel(paths);
  auto append = [&out](std::vector<CheckResult> more) {
    for (auto& r : more) out.push_back(std::move(r));
  };
  append(CheckCgroups(config.cgroup, paths));
  append(CheckCni(config.cni));
  append(CheckFiles(config, monitor_path));
  append(CheckDirs(config));
  return out;
}

std::string FormatCheck(const CheckResult& r) {
  const char* level = r.level == CheckLevel::kOk     ? "ok"
                      : r.level == CheckLevel::kWarn ? "warn"
                                                     : "FAIL";
  return absl::StrFormat("%-5s %-20s %s", level, r.name, r.detail);
}

int RunCheck(const DaemonOptions& options, std::ostream& out) {
  // The checks report what the loaders would log; keep stderr for real errors.
  sys::SetLogLevel(sys::LogLevel::kError);
  std::vector<CheckResult> results;
  auto config = EffectiveConfig(options);
  if (config.ok()) {
    results.push_back(CheckConfigFiles(options));
    for (auto& r : CheckNode(*config, NodePaths(), MonitorPath(*config))) {
      results.push_back(std::move(r));
    }
  } else {
    results.push_back(Result(CheckLevel::kFail, "config", std::string(config.status().message())));
    for (auto& r : CheckKernel(NodePaths())) results.push_back(std::move(r));
  }
  int failed = 0, warned = 0;
  for (const CheckResult& r : results) {
    out << FormatCheck(r) << "\n";
    failed += r.level == CheckLevel::kFail;
    warned += r.level == CheckLevel::kWarn;
  }
  out << absl::StrFormat("%d checks: %d failed, %d warnings%s\n", results.size(), failed, warned,
                         failed ? "; this node cannot run pods as configured" : "");
  return failed ? 1 : 0;
}

}  // namespace cricket::cri
