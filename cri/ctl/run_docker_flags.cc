// See run_docker_flags.h. Each flag maps to the field the kubelet would set
// for the same pod spec, so cricketd treats it as it treats a kubelet's pod.
#include "cri/ctl/run_docker_flags.h"

#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "cri/ctl/cmd_common.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

// The CFS period docker's --cpus uses; the quota is the CPUs times it.
constexpr int64_t kCpuPeriodUs = 100000;

// "1000", "1000:1000", "nobody": CRI takes a uid or a user name, and a gid.
absl::Status SetUser(std::string_view command, const std::string& user,
                     v1::LinuxContainerSecurityContext& sc) {
  std::vector<std::string> parts = absl::StrSplit(user, absl::MaxSplits(':', 1));
  int64_t uid = 0, gid = 0;
  if (parts[0].empty()) return UsageError(command, "-u " + user + ": no user");
  if (absl::SimpleAtoi(parts[0], &uid) && uid >= 0) {
    sc.mutable_run_as_user()->set_value(uid);
  } else {
    sc.set_run_as_username(parts[0]);
  }
  if (parts.size() == 2) {
    if (!absl::SimpleAtoi(parts[1], &gid) || gid < 0) {
      return UsageError(command, "-u " + user + ": the group must be a numeric gid (CRI takes ids)");
    }
    sc.mutable_run_as_group()->set_value(gid);
  }
  return absl::OkStatus();
}

absl::Status SetResources(std::string_view command, const Flags& f,
                          v1::LinuxContainerResources& r) {
  if (f.Has("memory")) {
    ASSIGN_OR_RETURN(int64_t bytes, MemoryBytes(f.Get("memory")));
    r.set_memory_limit_in_bytes(bytes);
  }
  if (f.Has("cpus")) {
    double cpus = 0;
    if (!absl::SimpleAtod(f.Get("cpus"), &cpus) || cpus <= 0) {
      return UsageError(command, "--cpus " + f.Get("cpus") + ": want a positive number");
    }
    r.set_cpu_period(kCpuPeriodUs);
    r.set_cpu_quota(static_cast<int64_t>(cpus * kCpuPeriodUs));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ApplyDockerFlags(std::string_view command, const Flags& f, v1::PodSandboxConfig& pod,
                              v1::ContainerConfig& ctr) {
  auto* sc = ctr.mutable_linux()->mutable_security_context();
  if (f.Has("user")) RETURN_IF_ERROR(SetUser(command, f.Get("user"), *sc));
  RETURN_IF_ERROR(SetResources(command, f, *ctr.mutable_linux()->mutable_resources()));
  if (f.On("privileged")) {
    // CRI allows a privileged container only in a privileged pod.
    sc->set_privileged(true);
    pod.mutable_linux()->mutable_security_context()->set_privileged(true);
  }
  if (f.Has("cgroup-parent")) pod.mutable_linux()->set_cgroup_parent(f.Get("cgroup-parent"));
  ASSIGN_OR_RETURN(auto labels, LabelsFrom(f));
  for (const auto& [k, v] : labels) {
    (*ctr.mutable_labels())[k] = v;
    (*pod.mutable_labels())[k] = v;
  }
  return absl::OkStatus();
}

}  // namespace cricket::cri::ctl
