// The systemd cgroup driver: cgroupsPath "slice:prefix:name" names a transient
// scope that systemd creates (StartTransientUnit over D-Bus, Delegate=yes); the
// files inside are then managed by the cgroupfs manager for that path.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "oci/cgroup/manager.h"

namespace cricket::oci::cgroup {

struct SystemdUnit {
  std::string slice;  // "system.slice"
  std::string unit;   // "cricket-<id>.scope", or a ".slice" name given as is
  std::string path;   // cgroup path: ExpandSlice(slice) + "/" + unit (runc)
};

// "a-b-c.slice" → "/a.slice/a-b.slice/a-b-c.slice"; "-.slice" → "/".
// InvalidArgument for names systemd rejects ("a--b.slice", "-a.slice", "x/y.slice").
absl::StatusOr<std::string> ExpandSlice(const std::string& slice);

// Parses "slice:prefix:name" (runc's format; empty slice → "system.slice").
// An empty cgroups_path → "system.slice:cricket:<container_id>".
absl::StatusOr<SystemdUnit> ParseSystemdCgroupsPath(const std::string& cgroups_path,
                                                    const std::string& container_id);

// The limits systemd itself writes into a unit's cgroup files, as unit
// properties (name, value): MemoryMax, MemorySwapMax, CPUWeight,
// CPUQuotaPerSecUSec with CPUQuotaPeriodUSec, TasksMax. systemd rewrites those
// files from the unit's properties at every daemon-reload, so a limit written
// only to the file would fall back to "max" (runc and crun set them too).
std::vector<std::pair<std::string, uint64_t>> SystemdResourceProperties(const Resources& r);

// The cpuset as unit properties, AllowedCPUs and AllowedMemoryNodes: systemd
// rewrites cpuset.cpus and cpuset.mems from them whenever it realizes the
// unit's cgroup (also right after StartTransientUnit returns, when the start
// job runs), so a list written only to the file is lost ("" = all). Values are
// systemd's byte masks: bit n%8 of byte n/8 is cpu (node) n. InvalidArgument
// for a malformed list ("0-3,5" is the format).
using ByteMaskProperties = std::vector<std::pair<std::string, std::vector<uint8_t>>>;
absl::StatusOr<ByteMaskProperties> SystemdCpusetProperties(const Resources& r);

// Whether systemd is the init system (as sd_booted(): /run/systemd/system/ exists).
bool SystemdRunning();

// Wraps `fs` (a cgroupfs manager for unit.path): the first AddProcess starts the
// scope with that pid and the limits as properties, Set on a started scope
// updates them (SetUnitProperties) and the files, Destroy stops the unit. FailedPrecondition when systemd
// is not running.
absl::StatusOr<std::unique_ptr<Manager>> NewSystemdManager(const SystemdUnit& unit,
                                                           std::unique_ptr<Manager> fs);

}  // namespace cricket::oci::cgroup
