// NetworkManager: the pod-level CNI flows on top of cni_chain and cni_cache.
#include "network/network_manager.h"

#include <sys/stat.h>

#include <algorithm>

#include "absl/strings/str_join.h"
#include "network/cni_chain.h"
#include "oci/sys/fs.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::network {
namespace {

using nlohmann::json;

constexpr char kNotReady[] = "NetworkPluginNotReady";

std::string PodLabel(const PodNetwork& pod) {
  return absl::StrCat(pod.pod_namespace, "/", pod.name, " (", pod.pod_id, ")");
}

}  // namespace

PodNetworkResult MakePodNetworkResult(const std::string& network, CniResult result,
                                      const std::string& ifname) {
  PodNetworkResult out;
  out.network_name = network;
  std::vector<std::string> ips = PodIps(result, ifname);
  if (!ips.empty()) {
    out.primary_ip = ips.front();
    out.additional_ips.assign(ips.begin() + 1, ips.end());
  }
  out.result = std::move(result);
  return out;
}

NetworkManager::NetworkManager(conf::Config::Cni config)
    : config_(std::move(config)), cache_(config_.cache_dir) {}

std::string NetworkManager::ConfDirFingerprint() const {
  auto names = sys::ListDir(config_.conf_dir);
  if (!names.ok()) return "missing";
  std::sort(names->begin(), names->end());
  std::string fp;
  for (const auto& name : *names) {
    struct stat st;
    std::string path = config_.conf_dir + "/" + name;
    if (::stat(path.c_str(), &st) != 0) continue;
    absl::StrAppend(&fp, name, ":", st.st_ino, ":", st.st_size, ":", st.st_mtim.tv_sec, ".",
                    st.st_mtim.tv_nsec, "/");
  }
  return fp;
}

absl::StatusOr<std::shared_ptr<const NetworkConfigList>> NetworkManager::CurrentNetwork() {
  // Checked on every call (one readdir + a stat per file): cheaper than an
  // inotify thread and never misses a change made while we were down.
  std::string fp = ConfDirFingerprint();
  std::lock_guard<std::mutex> lock(mu_);
  if (fp != fingerprint_) {
    fingerprint_ = fp;
    auto net = LoadDefaultNetwork(config_.conf_dir);
    if (net.ok()) {
      sys::LogInfo("CNI network loaded", {{"network", net->name}, {"file", net->source}});
      network_ = std::make_shared<const NetworkConfigList>(std::move(*net));
    } else {
      network_ = net.status();
    }
  }
  return network_;
}

Invocation NetworkManager::MakeInvocation(const PodNetwork& pod, const std::string& netns) const {
  Invocation inv;
  inv.container_id = pod.pod_id;
  inv.netns = netns;
  inv.ifname = pod.ifname;
  inv.args = {{"K8S_POD_NAMESPACE", pod.pod_namespace},
              {"K8S_POD_NAME", pod.name},
              {"K8S_POD_INFRA_CONTAINER_ID", pod.pod_id},
              {"K8S_POD_UID", pod.uid}};
  inv.bin_dirs = config_.bin_dirs;
  inv.timeout = std::chrono::seconds(config_.timeout_seconds);
  return inv;
}

absl::StatusOr<PodNetworkResult> NetworkManager::SetUp(const PodNetwork& pod) {
  if (pod.pod_id.empty()) return absl::InvalidArgumentError("set up pod network: no pod id");
  RuntimeConfig rc{pod.port_mappings, pod.bandwidth, pod.dns, {}};
  RETURN_IF_ERROR(sys::Annotate(ValidateRuntimeConfig(rc), "pod %s", PodLabel(pod)));
  ASSIGN_OR_RETURN(auto net, CurrentNetwork());
  if (!sys::PathExists(pod.netns_path)) {
    return absl::NotFoundError(absl::StrCat("set up network for pod ", PodLabel(pod),
                                            ": netns ", pod.netns_path, " does not exist"));
  }
  auto res = Attach(*net, pod, rc);
  if (!res.ok()) {
    return sys::Annotate(res.status(), "set up network %s for pod %s", net->name, PodLabel(pod));
  }
  std::shared_ptr<const NetworkConfigList> lo = LoopbackNetwork(*net);
  if (!lo) return res;
  PodNetwork lo_pod = pod;
  lo_pod.ifname = "lo";
  auto lo_res = Attach(*lo, lo_pod, RuntimeConfig{});
  if (lo_res.ok()) return res;
  // Nothing may stay behind: the main attachment goes too.
  auto entry = cache_.Load(net->name, pod.pod_id, pod.ifname);
  absl::Status undo = entry.ok() ? DelEntry(*entry, pod.netns_path) : absl::OkStatus();
  std::string msg = absl::StrCat("set up loopback for pod ", PodLabel(pod), ": ",
                                 lo_res.status().message());
  if (!undo.ok()) absl::StrAppend(&msg, " (and the rollback DEL failed: ", undo.message(), ")");
  return absl::Status(lo_res.status().code(), msg);
}

std::shared_ptr<const NetworkConfigList> NetworkManager::LoopbackNetwork(
    const NetworkConfigList& net) const {
  for (const PluginConf& p : net.plugins) {
    if (p.type == "loopback") return nullptr;  // the chain brings lo up itself
  }
  if (!FindPlugin("loopback", config_.bin_dirs).ok()) {
    sys::LogWarn("no loopback CNI plugin: pods get lo down", {{"network", net.name}});
    return nullptr;
  }
  static const auto* const kLoopback = new std::shared_ptr<const NetworkConfigList>(
      std::make_shared<const NetworkConfigList>(*ParseConfList(
          R"({"cniVersion":"0.3.1","name":"cni-loopback","plugins":[{"type":"loopback"}]})",
          "built-in loopback network")));
  return *kLoopback;
}

absl::StatusOr<PodNetworkResult> NetworkManager::Attach(const NetworkConfigList& net,
                                                        const PodNetwork& pod,
                                                        const RuntimeConfig& rc) {
  auto cached = cache_.Load(net.name, pod.pod_id, pod.ifname);
  if (cached.ok() && !cached->result.is_null() && cached->netns == pod.netns_path) {
    auto res = ParseCniResult(cached->result);  // a retry of a finished ADD
    if (res.ok()) return MakePodNetworkResult(net.name, std::move(*res), pod.ifname);
  }
  if (cached.ok()) {
    // An ADD cut short by a crash, or one into another netns: undo it first,
    // or its address would leak when the entry is overwritten.
    std::string old_netns = sys::PathExists(cached->netns) ? cached->netns : "";
    RETURN_IF_ERROR(sys::Annotate(DelEntry(*cached, old_netns), "clean up earlier attempt"));
  }
  return AddAndRecord(net, pod, rc);
}

absl::StatusOr<PodNetworkResult> NetworkManager::AddAndRecord(const NetworkConfigList& net,
                                                              const PodNetwork& pod,
                                                              const RuntimeConfig& rc) {
  Invocation inv = MakeInvocation(pod, pod.netns_path);
  // Written before ADD: after a crash mid-ADD, TearDown finds what to DEL.
  CacheEntry entry{net.name, pod.pod_id, pod.ifname, pod.netns_path, net.bytes,
                   inv.args, RuntimeConfigToJson(rc), json()};
  RETURN_IF_ERROR(cache_.Save(entry));
  json partial;
  auto added = AddNetworkList(net, inv, rc, &partial);
  if (added.ok()) {
    entry.result = added->raw;
    absl::Status saved = cache_.Save(entry);
    if (saved.ok()) return MakePodNetworkResult(net.name, std::move(*added), pod.ifname);
    added = saved;
  }
  absl::Status undo = DelNetworkList(net, inv, rc, partial);
  if (undo.ok()) undo = cache_.Remove(entry);
  if (!undo.ok()) {
    sys::LogError("CNI rollback after failed ADD failed",
                  {{"pod", pod.pod_id}, {"error", undo.ToString()}});
    return absl::Status(added.status().code(),
                        absl::StrCat(added.status().message(), " (and the rollback DEL failed: ",
                                     undo.message(), ")"));
  }
  return added.status();
}

absl::Status NetworkManager::DelEntry(const CacheEntry& entry, const std::string& netns) {
  ASSIGN_OR_RETURN(NetworkConfigList net, ParseConfList(entry.config, "cached config"));
  PodNetwork pod;
  pod.pod_id = entry.container_id;
  pod.ifname = entry.ifname;
  Invocation inv = MakeInvocation(pod, netns);
  inv.args = entry.cni_args;
  RuntimeConfig rc = RuntimeConfigFromJson(entry.runtime_config);
  RETURN_IF_ERROR(DelNetworkList(net, inv, rc, entry.result));
  return cache_.Remove(entry);
}

absl::Status NetworkManager::TearDown(const PodNetwork& pod) {
  // A netns that is gone is passed as "" (the spec allows it for DEL): the
  // plugins then release what lives outside it (addresses, iptables rules).
  std::string netns = sys::PathExists(pod.netns_path) ? pod.netns_path : "";
  std::vector<std::string> failures;
  // Every attachment of the pod (its network and the built-in loopback).
  for (const CacheEntry& entry : cache_.ForContainer(pod.pod_id)) {
    absl::Status st = DelEntry(entry, netns);
    if (!st.ok()) failures.push_back(std::string(st.message()));
  }
  if (failures.empty()) return absl::OkStatus();
  return absl::UnknownError(absl::StrCat("tear down network of pod ", PodLabel(pod), ": ",
                                         absl::StrJoin(failures, "; ")));
}

absl::Status NetworkManager::Check(const PodNetwork& pod) {
  std::vector<CacheEntry> entries = cache_.ForContainer(pod.pod_id);
  bool found = false;
  for (const CacheEntry& entry : entries) {
    if (entry.result.is_null()) continue;
    found = true;
    ASSIGN_OR_RETURN(NetworkConfigList net, ParseConfList(entry.config, "cached config"));
    PodNetwork attached = pod;
    attached.ifname = entry.ifname;
    Invocation inv = MakeInvocation(attached, pod.netns_path);
    inv.args = entry.cni_args;
    RETURN_IF_ERROR(sys::Annotate(
        CheckNetworkList(net, inv, RuntimeConfigFromJson(entry.runtime_config), entry.result),
        "check network %s of pod %s", net.name, PodLabel(pod)));
  }
  if (!found) {
    return absl::NotFoundError(absl::StrCat("pod ", PodLabel(pod), " has no network set up"));
  }
  return absl::OkStatus();
}

absl::StatusOr<PodNetworkResult> NetworkManager::Cached(const std::string& pod_id,
                                                        const std::string& ifname) const {
  for (CacheEntry& entry : cache_.ForContainer(pod_id)) {
    if (entry.ifname != ifname || entry.result.is_null()) continue;
    ASSIGN_OR_RETURN(CniResult res, ParseCniResult(entry.result));
    return MakePodNetworkResult(entry.network_name, std::move(res), ifname);
  }
  return absl::NotFoundError(absl::StrCat("no cached network result for pod ", pod_id));
}

NetworkReadiness NetworkManager::Status() {
  auto net = CurrentNetwork();
  if (!net.ok()) {
    return {false, kNotReady,
            absl::StrCat("Network plugin returns error: cni config load failed: ",
                         net.status().message())};
  }
  for (const PluginConf& plugin : (*net)->plugins) {
    auto found = FindPlugin(plugin.type, config_.bin_dirs);
    if (!found.ok()) {
      return {false, kNotReady, absl::StrCat("network ", (*net)->name, ": ",
                                             found.status().message())};
    }
  }
  Invocation inv = MakeInvocation(PodNetwork{}, "");
  absl::Status st = StatusNetworkList(**net, inv);
  if (!st.ok()) {
    return {false, kNotReady, absl::StrCat("network ", (*net)->name, ": ", st.message())};
  }
  return {true, "", ""};
}

absl::Status NetworkManager::GarbageCollect(const std::vector<std::string>& live_pod_ids) {
  std::vector<std::string> failures;
  json valid = json::array();
  for (const CacheEntry& entry : cache_.All()) {
    bool live = std::find(live_pod_ids.begin(), live_pod_ids.end(), entry.container_id) !=
                live_pod_ids.end();
    if (live) {
      valid.push_back({{"containerID", entry.container_id}, {"ifname", entry.ifname}});
      continue;
    }
    std::string netns = sys::PathExists(entry.netns) ? entry.netns : "";
    absl::Status st = DelEntry(entry, netns);
    if (!st.ok()) failures.push_back(std::string(st.message()));
  }
  auto net = CurrentNetwork();
  if (net.ok()) {
    absl::Status st = GcNetworkList(**net, MakeInvocation(PodNetwork{}, ""), valid);
    if (!st.ok()) failures.push_back(std::string(st.message()));
  }
  if (failures.empty()) return absl::OkStatus();
  return absl::UnknownError(absl::StrCat("CNI garbage collection: ",
                                         absl::StrJoin(failures, "; ")));
}

}  // namespace cricket::network
