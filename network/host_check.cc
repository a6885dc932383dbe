// The CNI conf dir, plugins and cache dir, for `cricketd check`.
#include "network/host_check.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "network/cni_config.h"
#include "network/cni_exec.h"

namespace cricket::network {
namespace {

using sys::CheckFail;
using sys::CheckOk;
using sys::CheckResult;
using sys::CheckWarn;

// The plugins of `net` found in the bin dirs; a FAIL naming the missing ones.
CheckResult CheckPlugins(const NetworkConfigList& net, const conf::Config::Cni& cni) {
  std::vector<std::string> found, missing;
  for (const PluginConf& p : net.plugins) {
    auto path = FindPlugin(p.type, cni.bin_dirs);
    (path.ok() ? found : missing).push_back(path.ok() ? *path : p.type);
  }
  if (!missing.empty()) {
    return CheckFail("cni.plugins",
                     absl::StrCat("network \"", net.name, "\": plugin ",
                                  absl::StrJoin(missing, ", "), " not found in ",
                                  absl::StrJoin(cni.bin_dirs, ":"),
                                  " (Debian: containernetworking-plugins)"));
  }
  return CheckOk("cni.plugins", absl::StrJoin(found, " "));
}

// Without a loopback plugin pods get lo down (unless the chain brings it up
// itself).
std::vector<CheckResult> CheckLoopback(const NetworkConfigList& net,
                                       const conf::Config::Cni& cni) {
  for (const PluginConf& p : net.plugins) {
    if (p.type == "loopback") return {};
  }
  if (FindPlugin("loopback", cni.bin_dirs).ok()) return {};
  return {CheckWarn("cni.plugins", absl::StrCat("no loopback plugin in ",
                                                absl::StrJoin(cni.bin_dirs, ":"),
                                                ": pods get lo down"))};
}

// The conf dir and, when it holds a valid network, its plugins.
std::vector<CheckResult> CheckConfDir(const conf::Config::Cni& cni) {
  std::vector<CheckResult> out;
  struct stat st {};
  if (::stat(cni.conf_dir.c_str(), &st) != 0) {
    // A network DaemonSet (flannel, calico, ...) often writes its config later.
    out.push_back(CheckWarn("cni.conf_dir",
                            absl::StrCat(cni.conf_dir, ": ", std::strerror(errno),
                                         "; pods cannot start until a network config is there")));
    return out;
  }
  if (!S_ISDIR(st.st_mode)) {
    out.push_back(CheckFail("cni.conf_dir", absl::StrCat(cni.conf_dir, " is not a directory")));
    return out;
  }
  ConfDirScan scan = ScanConfDir(cni.conf_dir);
  for (const SkippedFile& f : scan.skipped) {
    out.push_back({scan.networks.empty() ? sys::CheckLevel::kFail : sys::CheckLevel::kWarn,
                   "cni.conf_dir", absl::StrCat("skipped ", f.path, ": ", f.reason)});
  }
  if (scan.networks.empty()) {
    out.push_back({scan.skipped.empty() ? sys::CheckLevel::kWarn : sys::CheckLevel::kFail,
                   "cni.conf_dir",
                   absl::StrCat("no valid network config in ", cni.conf_dir,
                                "; pods cannot start until there is one")});
    return out;
  }
  const NetworkConfigList& net = scan.networks.front();
  out.push_back(CheckOk("cni.conf_dir",
                        absl::StrCat("network \"", net.name, "\" from ", net.source,
                                     " (cniVersion ", net.cni_version, ")")));
  out.push_back(CheckPlugins(net, cni));
  for (auto& r : CheckLoopback(net, cni)) out.push_back(std::move(r));
  return out;
}

}  // namespace

std::vector<CheckResult> CheckHost(const conf::Config::Cni& cni) {
  std::vector<CheckResult> out = CheckConfDir(cni);
  out.push_back(sys::CheckWritableDir("cni.cache_dir", cni.cache_dir));
  return out;
}

}  // namespace cricket::network
