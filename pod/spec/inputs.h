// What building a container's OCI spec needs: the CRI request, what the pod
// and the image provide, the node's defaults, and the few lookups that touch
// the host (injected, so the builders stay pure and table-testable).
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "cri/api/api.h"
#include "oci/spec.h"
#include "pod/cdi/registry.h"

namespace cricket::pod::spec {

// The parts of an image's config that shape the process.
struct ImageConfig {
  std::vector<std::string> entrypoint, cmd, env;
  std::string working_dir, user, stop_signal;
};

// What the pod gives each of its containers.
struct SandboxInfo {
  std::string id;
  std::string name, namespace_, uid;  // pod metadata
  std::string hostname;
  std::string netns_path, ipc_ns_path, uts_ns_path;  // pinned; empty for host namespaces
  std::string userns_path;  // the pod's user namespace (hostUsers: false); "" for the host's
  bool host_network = false, host_ipc = false;       // the pod's own namespace options
  std::string pid_ns_path;       // the pod's pid namespace when shared (NamespaceMode POD)
  std::string hosts_path, resolv_path, hostname_path, shm_path;
  std::string cgroup_parent;     // from LinuxPodSandboxConfig
  std::map<std::string, std::string> sysctls;
};

// Node-wide defaults from the configuration.
struct Defaults {
  std::vector<std::string> capabilities;  // without CAP_ prefix or with; both accepted
  // What privileged containers and "ALL" get: the capabilities the runtime
  // holds (its bounding and permitted sets), "CAP_" form, filled by the
  // caller. A capability named in a request or in `capabilities` that is not
  // here is refused: the engine could not grant it (capset fails with EPERM).
  std::vector<std::string> available_capabilities;
  struct Ulimit {
    std::string name;
    int64_t soft, hard;
  };
  std::vector<Ulimit> ulimits;
  int64_t pids_limit = 0;           // 0: no limit
  bool systemd_cgroup = false;
  // The AppArmor profile RuntimeDefault (and an unset profile of an
  // unprivileged container) gets; empty: AppArmor is off on this node.
  std::string apparmor_default_profile;
  // The lowest oom_score_adj a child of ours can get without
  // CAP_SYS_RESOURCE (our own); values below are raised to it.
  std::optional<int> min_oom_score_adj;
};

struct DeviceInfo {
  char type = 'c';  // c, b, p
  int64_t major = 0, minor = 0;
  uint32_t file_mode = 0666;
  uint32_t uid = 0, gid = 0;
};

struct HostLookups {
  // stat of a host device node.
  std::function<absl::StatusOr<DeviceInfo>(const std::string& host_path)> device;
  // Every device node on the host (for privileged containers).
  std::function<std::vector<std::pair<std::string, DeviceInfo>>()> all_devices;
  // Contents of a Localhost seccomp profile, or of the configured default.
  std::function<absl::StatusOr<std::string>(const std::string& path)> read_file;
  // The pid namespace of a TARGET container.
  std::function<absl::StatusOr<std::string>(const std::string& container_id)> target_pid_ns;
};

struct Inputs {
  std::string container_id;
  std::string rootfs;  // absolute path of the prepared rootfs
  const runtime::v1::ContainerConfig* config = nullptr;
  const runtime::v1::PodSandboxConfig* sandbox_config = nullptr;
  ImageConfig image;
  std::string image_name;  // as the kubelet asked for it
  SandboxInfo sandbox;
  Defaults defaults;
  std::string etc_passwd, etc_group;  // the image's, for user and group names
  std::string default_seccomp_path;   // "" = the built-in RuntimeDefault
  HostLookups host;
  // The container's CDI devices, resolved from the spec files (pod/cdi).
  std::vector<cdi::EditSet> cdi;
  // Image volumes (Mount.image): container_path → the host path to bind (the
  // image's read-only mount, or the image_sub_path resolved inside it).
  std::map<std::string, std::string> image_volumes;
};

struct Output {
  oci::Spec spec;                           // written as the bundle's config.json
  std::vector<std::string> host_dirs;       // bind sources the caller must create
  std::vector<std::string> warnings;        // accepted but not enforced (AppArmor, SELinux)
};

}  // namespace cricket::pod::spec
