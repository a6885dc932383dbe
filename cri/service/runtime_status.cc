// Version, Status and RuntimeConfig: what the kubelet asks first, and what
// `cricketctl version|info` shows. UpdateRuntimeConfig renders the pod CIDR into
// the CNI config through cni.conf_template.
#include "conf/config.h"
#include "cri/service/runtime_features.h"
#include "cri/service/runtime_handlers.h"
#include "network/conf_template.h"
#include "nlohmann/json.hpp"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

constexpr char kRuntimeName[] = "cricket";
constexpr char kRuntimeApiVersion[] = "v1";
// The kubelet-facing API version string every CRI runtime reports.
constexpr char kKubeletApiVersion[] = "0.1.0";

void AddCondition(v1::RuntimeStatus* status, const char* type, bool ok, std::string reason,
                  std::string message) {
  v1::RuntimeCondition* c = status->add_conditions();
  c->set_type(type);
  c->set_status(ok);
  c->set_reason(std::move(reason));
  c->set_message(std::move(message));
}

}  // namespace

absl::Status RuntimeHandlers::Version(const v1::VersionRequest& req, v1::VersionResponse* resp) {
  resp->set_version(kKubeletApiVersion);
  resp->set_runtime_name(kRuntimeName);
  resp->set_runtime_version(CRICKET_VERSION);
  resp->set_runtime_api_version(kRuntimeApiVersion);
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::Status(const v1::StatusRequest& req, v1::StatusResponse* resp) {
  v1::RuntimeStatus* status = resp->mutable_status();
  AddCondition(status, "RuntimeReady", true, "", "");
  NetworkCondition net = ctx().network_status ? ctx().network_status() : CniNotLoadedYet();
  AddCondition(status, "NetworkReady", net.ready, std::move(net.reason), std::move(net.message));
  FillRuntimeFeatures(ctx().config, resp);
  if (req.verbose()) {
    auto current = ctx().current_config ? ctx().current_config->Get() : nullptr;
    (*resp->mutable_info())["config"] = conf::ToJson(current ? *current : ctx().config).dump();
  }
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::RuntimeConfig(const v1::RuntimeConfigRequest& req,
                                            v1::RuntimeConfigResponse* resp) {
  const bool systemd = ctx().config.cgroup.driver == "systemd";
  resp->mutable_linux()->set_cgroup_driver(systemd ? v1::SYSTEMD : v1::CGROUPFS);
  return absl::OkStatus();
}

absl::Status RuntimeHandlers::UpdateRuntimeConfig(const v1::UpdateRuntimeConfigRequest& req,
                                                  v1::UpdateRuntimeConfigResponse* resp) {
  const std::string& cidr = req.runtime_config().network_config().pod_cidr();
  if (cidr.empty()) return absl::OkStatus();  // the CRI: an empty CIDR is omitted
  const conf::Config::Cni& cni = ctx().config.cni;
  if (cni.conf_template.empty()) {
    // As containerd without a template: the CNI config is the operator's.
    sys::LogWarn("pod CIDR not used: no cni.conf_template configured", {{"pod_cidr", cidr}});
    return absl::OkStatus();
  }
  RETURN_IF_ERROR(network::WriteTemplatedConf(cni.conf_template, cni.conf_dir, cidr));
  sys::LogInfo("pod CIDR written to the CNI config",
               {{"pod_cidr", cidr}, {"conf", cni.conf_dir + "/" + network::kTemplatedConfName}});
  return absl::OkStatus();
}

}  // namespace cricket::cri
