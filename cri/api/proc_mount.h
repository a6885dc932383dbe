// procMount as it crosses CRI. The kubelet always sends the masked and
// read-only /proc and /sys paths itself (since Kubernetes 1.12): the list
// below for procMount Default, and empty lists for procMount Unmasked. So
// runtimes take the lists as given, and an empty one means none, as CRI-O
// does. Clients that are not the kubelet (cricketctl) send the Default lists
// themselves to get the same confinement.
#pragma once

#include <string>
#include <vector>

#include "cri/api/api.h"

namespace cricket::cri_api {

// The kubelet's defaults for procMount Default (pkg/securitycontext/util.go),
// which are also containerd's and runc's spec defaults.
inline const std::vector<std::string>& DefaultMaskedPaths() {
  static const std::vector<std::string> kPaths = {
      "/proc/acpi",          "/proc/asound",     "/proc/kcore",       "/proc/keys",
      "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
      "/proc/scsi",          "/sys/firmware",    "/sys/devices/virtual/powercap"};
  return kPaths;
}
inline const std::vector<std::string>& DefaultReadonlyPaths() {
  static const std::vector<std::string> kPaths = {"/proc/bus", "/proc/fs", "/proc/irq",
                                                  "/proc/sys", "/proc/sysrq-trigger"};
  return kPaths;
}

// What the kubelet sends for procMount Unmasked: both lists empty.
inline bool IsUnmaskedProcMount(const runtime::v1::LinuxContainerSecurityContext& sc) {
  return sc.masked_paths().empty() && sc.readonly_paths().empty();
}

// Fills the Default lists into a config that names neither (a client
// standing in for the kubelet). Privileged containers get none anyway.
inline void SetDefaultProcMount(runtime::v1::LinuxContainerSecurityContext* sc) {
  if (sc->privileged() || !IsUnmaskedProcMount(*sc)) return;
  for (const std::string& p : DefaultMaskedPaths()) sc->add_masked_paths(p);
  for (const std::string& p : DefaultReadonlyPaths()) sc->add_readonly_paths(p);
}

}  // namespace cricket::cri_api
