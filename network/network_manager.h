// Pod networking through CNI: SetUp / TearDown / Check for one pod, the
// network's readiness, and garbage collection of attachments of pods that are
// gone. It receives a netns *path* and never creates namespaces. Thread-safe:
// calls for different pods may run at once.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "conf/config.h"
#include "network/cni_cache.h"
#include "network/cni_config.h"
#include "network/cni_exec.h"
#include "network/cni_result.h"
#include "network/runtime_config.h"

namespace cricket::network {

struct PodNetwork {
  std::string pod_id;         // sandbox id: CNI_CONTAINERID, K8S_POD_INFRA_CONTAINER_ID
  std::string name;           // K8S_POD_NAME
  std::string pod_namespace;  // K8S_POD_NAMESPACE
  std::string uid;            // K8S_POD_UID
  std::string netns_path;     // the pinned network namespace
  std::string ifname = "eth0";
  std::vector<PortMapping> port_mappings;
  std::optional<DnsSettings> dns;
  std::optional<Bandwidth> bandwidth;
};

struct PodNetworkResult {
  std::string network_name;
  std::string primary_ip;                   // "" when the network gave none
  std::vector<std::string> additional_ips;  // the rest, IPv4 before IPv6
  CniResult result;
};

struct NetworkReadiness {
  bool ready = false;
  std::string reason;   // "NetworkPluginNotReady" when not ready
  std::string message;  // why, naming the conf dir or the plugin
};

class NetworkManager {
 public:
  explicit NetworkManager(conf::Config::Cni config);

  // CNI ADD of the current network in pod.netns_path, then of a built-in
  // loopback network on "lo" when the chain has no loopback plugin (as
  // containerd and CRI-O bring lo up). A retry for a pod whose
  // ADD already finished (same netns) returns the cached result. On failure
  // the chain is DELeted (in reverse) before returning, so nothing is left
  // behind; the error names the failing plugin and its message.
  // FailedPrecondition when no network is configured.
  absl::StatusOr<PodNetworkResult> SetUp(const PodNetwork& pod);

  // CNI DEL of every attachment of the pod, with the config cached at SetUp (so a changed conf dir or a
  // restart does not matter). Idempotent: no cache entry, or a netns that is
  // gone, is fine. The cache entry is removed only when DEL succeeded.
  absl::Status TearDown(const PodNetwork& pod);

  // CNI CHECK of every attachment with the cached result (OK without work when the version has
  // no CHECK or disableCheck is set). NotFound when the pod is not set up.
  absl::Status Check(const PodNetwork& pod);

  // The cached result of a pod (after a restart: IPs without a new ADD).
  absl::StatusOr<PodNetworkResult> Cached(const std::string& pod_id,
                                          const std::string& ifname = "eth0") const;

  // NetworkReady for the CRI Status call: a valid config, its plugins
  // present, and (1.1.0+) every plugin's STATUS fine.
  NetworkReadiness Status();

  // DELs every cached attachment whose pod is not in `live_pod_ids`, then
  // runs CNI GC (1.1.0+) with the live ones as valid attachments.
  absl::Status GarbageCollect(const std::vector<std::string>& live_pod_ids);

  // The network in use now, re-read when the conf dir changed.
  absl::StatusOr<std::shared_ptr<const NetworkConfigList>> CurrentNetwork();

  const conf::Config::Cni& config() const { return config_; }

 private:
  Invocation MakeInvocation(const PodNetwork& pod, const std::string& netns) const;
  absl::StatusOr<PodNetworkResult> Attach(const NetworkConfigList& net, const PodNetwork& pod,
                                          const RuntimeConfig& rc);
  std::shared_ptr<const NetworkConfigList> LoopbackNetwork(const NetworkConfigList& net) const;
  absl::StatusOr<PodNetworkResult> AddAndRecord(const NetworkConfigList& net,
                                                const PodNetwork& pod, const RuntimeConfig& rc);
  absl::Status DelEntry(const CacheEntry& entry, const std::string& netns);
  std::string ConfDirFingerprint() const;

  conf::Config::Cni config_;
  CniCache cache_;
  std::mutex mu_;  // guards the two below
  std::string fingerprint_ = "<never loaded>";
  absl::StatusOr<std::shared_ptr<const NetworkConfigList>> network_ =
      absl::FailedPreconditionError("not loaded");
};

// Fills the IP fields from a CNI result.
PodNetworkResult MakePodNetworkResult(const std::string& network, CniResult result,
                                      const std::string& ifname);

}  // namespace cricket::network
