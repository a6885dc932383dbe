// `cricketd check`: the config and the daemon's dirs, the layers' CheckHost()
// findings, the runner and the output.
#include "cri/daemon/check.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "cri/daemon/pod_layer.h"
#include "image/host_check.h"
#include "network/host_check.h"
#include "oci/criu.h"
#include "oci/host_check.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "pod/host_check.h"
#include "pod/record_store.h"

namespace cricket::cri {
namespace {

void Append(std::vector<CheckResult>& out, std::vector<CheckResult> more) {
  for (auto& r : more) out.push_back(std::move(r));
}

oci::HostPaths OciPaths(const NodePaths& p) { return {p.proc, p.cgroup_root, p.systemd_run}; }

CheckResult CheckConfigFiles(const DaemonOptions& options) {
  const conf::LoadOptions& l = options.load;
  std::string detail = sys::PathExists(l.config_file)
                           ? absl::StrCat(l.config_file, " valid")
                           : absl::StrCat("built-in defaults (no ", l.config_file, ")");
  if (!l.config_dir.empty() && sys::PathExists(l.config_dir)) {
    absl::StrAppend(&detail, ", drop-ins from ", l.config_dir);
  }
  return sys::CheckOk("config", detail);
}

}  // namespace

std::vector<CheckResult> CheckDirs(const conf::Config& config) {
  return {sys::CheckWritableDir("root_dir", config.root_dir),
          sys::CheckWritableDir("state_dir", config.state_dir), CheckSetAsideRecords(config)};
}

CheckResult CheckSetAsideRecords(const conf::Config& config) {
  std::vector<std::string> aside = pod::SetAsideRecords(config.root_dir + "/records");
  if (aside.empty()) return sys::CheckOk("records", "none set aside");
  return sys::CheckWarn("records", absl::StrCat(aside.size(),
                                               " set aside (their containers are left running; "
                                               "restore or remove them by hand): ",
                                               absl::StrJoin(aside, "; ")));
}

std::vector<CheckResult> CheckNode(const conf::Config& config, const NodePaths& paths,
                                   const std::string& monitor_path) {
  std::vector<CheckResult> out =
      oci::CheckHost(OciPaths(paths), oci::CgroupWanted{config.cgroup.version,
                                                        config.cgroup.driver});
  Append(out, image::CheckHost({paths.proc, paths.modules, config.registries.auth_file}));
  Append(out, network::CheckHost(config.cni));
  Append(out, pod::CheckHost(config, monitor_path));
  out.push_back(oci::CheckCriu("criu"));
  Append(out, CheckDirs(config));
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
    Append(results, CheckNode(*config, NodePaths(), MonitorPath(*config)));
  } else {
    // Without a config only what needs none: the kernel, not cgroups or CNI.
    const NodePaths paths;
    results.push_back(sys::CheckFail("config", std::string(config.status().message())));
    Append(results, oci::CheckHost(OciPaths(paths), std::nullopt));
    Append(results, image::CheckHost({paths.proc, paths.modules, ""}));
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
