// A pod sandbox as cricket keeps it: the kubelet's config, what was made for
// it (pinned namespaces, files, network), and its state. Persisted as JSON.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "absl/status/statusor.h"
#include "cri/api/api.h"
#include "pod/state.h"

namespace cricket::pod {

struct Sandbox : Stateful<Sandbox, SandboxState> {
  std::string Describe() const { return "pod sandbox " + id; }

  std::string id;
  std::string name_key;  // reservation key: name_namespace_uid_attempt
  int64_t created_at_ns = 0;
  std::string runtime_handler;
  runtime::v1::PodSandboxConfig config;
  // Made for the pod; empty when it uses the host's.
  std::string netns_path, ipc_ns_path, uts_ns_path;
  // hostUsers: false: the pod's user namespace, which owns the three above
  // and the pid namespace of its infra process; "" for the host's.
  std::string userns_path;
  std::string shm_path;  // a tmpfs of its own, or "" (host IPC: the host's /dev/shm)
  std::string hostname_path, hosts_path, resolv_path;
  std::string network_name, ip;
  std::vector<std::string> additional_ips;
  std::string not_ready_reason;  // why a rollback could not finish
  // Shared pid namespace (pid: POD) only: the infra process (cricket-pause) and
  // its pinned pid namespace; pid + start time name it across pid reuse.
  int infra_pid = 0;
  uint64_t infra_start_time = 0;
  std::string pid_ns_path;
  std::string infra_cgroups_path;  // OCI form; "" when there is no infra process
  // Read from records of a cricketd before CgroupParents (pod/cgroup_parents.h)
  // kept what it made: the topmost dir made for this pod, adopted at recovery.
  std::string legacy_created_cgroup_parent;

  bool host_network() const;
  bool host_ipc() const;
  bool shares_pid() const;  // NamespaceMode POD for pid
  // For PodSandboxStatus verbose info: infra process, cgroups, and the pod's
  // overhead and resources as the kubelet sent them (recorded, not enforced
  // beyond the pod cgroup the kubelet sizes, as containerd does for runc).
  nlohmann::json InfraInfo() const;
  nlohmann::json ToJson() const;
  static absl::StatusOr<Sandbox> FromJson(const nlohmann::json& j);
};

// "<name>_<namespace>_<uid>_<attempt>", as the peers key sandboxes.
std::string SandboxNameKey(const runtime::v1::PodSandboxMetadata& m);

}  // namespace cricket::pod
