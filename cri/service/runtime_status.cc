// Version, Status and RuntimeConfig: what the kubelet asks first, and what
// `cricketctl version|info` shows. UpdateRuntimeConfig (pod CIDR) waits for CNI.
#include "conf/config.h"
#include "cri/service/runtime_handlers.h"
#include "nlohmann/json.hpp"

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
  // The default handler (empty name); optional features stay off until they work.
  resp->add_runtime_handlers()->mutable_features();
  resp->mutable_features();
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
  return NotImplemented("UpdateRuntimeConfig");
}

}  // namespace cricket::cri
