// A CDI (Container Device Interface) spec file as typed structs, and its
// parser. The format is the CNCF container-device-interface SPEC.md,
// cdiVersion 0.3.0 up to 1.1.x, in JSON or YAML. Parsing is pure: the file's
// bytes in, a checked SpecFile or an error naming the JSON path out.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include "absl/strings/string_view.h"
#include <vector>

#include "absl/status/statusor.h"

namespace cricket::pod::cdi {

struct DeviceNode {
  std::string path;       // in the container
  std::string host_path;  // "" = path
  std::string type;       // "" = the host node's; b c u p
  int64_t major = 0, minor = 0;  // 0 = the host node's (unless type is p)
  std::optional<uint32_t> file_mode;
  std::string permissions;  // cgroup access, "" = rwm
  std::optional<uint32_t> uid, gid;
};

struct Mount {
  std::string host_path, container_path, type;
  std::vector<std::string> options;
};

struct Hook {
  std::string hook_name;  // prestart createRuntime createContainer startContainer poststart poststop
  std::string path;
  std::vector<std::string> args, env;
  std::optional<int> timeout;  // seconds, > 0
};

// The edits a device (or a whole spec) makes to a container's OCI spec.
struct ContainerEdits {
  std::vector<std::string> env;  // NAME=value
  std::vector<DeviceNode> device_nodes;
  std::vector<Mount> mounts;
  std::vector<Hook> hooks;
  std::vector<uint32_t> additional_gids;
  // Parsed so that a spec using them loads; applying them is refused
  // (cricket's engine has no resctrl support and moves no host interfaces).
  bool has_intel_rdt = false;
  bool has_net_devices = false;

  bool empty() const {
    return env.empty() && device_nodes.empty() && mounts.empty() && hooks.empty() &&
           additional_gids.empty() && !has_intel_rdt && !has_net_devices;
  }
};

struct Device {
  std::string name;  // the part after '=' in vendor.com/class=name
  ContainerEdits edits;
};

struct SpecFile {
  std::string version;  // cdiVersion
  std::string kind;     // vendor.com/class
  std::vector<Device> devices;
  ContainerEdits edits;  // applied once when any device of this spec is used
};

enum class Format { kJson, kYaml };

// The format a spec file's name says: .json or .yaml; nullopt for any other
// file (not a spec, skipped as the CDI reference implementation does).
std::optional<Format> FormatOf(absl::string_view file_name);

// Parses and validates one spec file: known fields only, a supported
// cdiVersion that is not older than the features the file uses, a valid kind
// and device names, and well-formed edits.
absl::StatusOr<SpecFile> ParseSpec(absl::string_view text, Format format);

}  // namespace cricket::pod::cdi
