// Sandbox record (de)serialisation; the CRI config is kept as protobuf JSON.
#include "pod/sandbox.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"

namespace cricket::pod {

using runtime::v1::NamespaceMode;

bool Sandbox::host_network() const {
  return config.linux().security_context().namespace_options().network() == NamespaceMode::NODE;
}
bool Sandbox::host_ipc() const {
  return config.linux().security_context().namespace_options().ipc() == NamespaceMode::NODE;
}

bool Sandbox::shares_pid() const {
  return config.linux().security_context().namespace_options().pid() == NamespaceMode::POD;
}

nlohmann::json Sandbox::InfraInfo() const {
  auto to_json = [](const google::protobuf::Message& m) {
    std::string s;
    (void)google::protobuf::util::MessageToJsonString(m, &s);
    return nlohmann::json::parse(s, nullptr, false);
  };
  nlohmann::json j = {{"cgroup_parent", config.linux().cgroup_parent()}};
  if (infra_pid > 0) {
    j["infra_pid"] = infra_pid;
    j["pid_ns_path"] = pid_ns_path;
    j["infra_cgroups_path"] = infra_cgroups_path;
  }
  if (config.linux().has_overhead()) j["overhead"] = to_json(config.linux().overhead());
  if (config.linux().has_resources()) j["resources"] = to_json(config.linux().resources());
  return j;
}

std::string SandboxNameKey(const runtime::v1::PodSandboxMetadata& m) {
  return absl::StrCat(m.name(), "_", m.namespace_(), "_", m.uid(), "_", m.attempt());
}

nlohmann::json Sandbox::ToJson() const {
  std::string cfg;
  (void)google::protobuf::util::MessageToJsonString(config, &cfg);
  return {{"id", id}, {"name_key", name_key}, {"state", std::string(Name(state()))},
          {"created_at_ns", created_at_ns}, {"runtime_handler", runtime_handler},
          {"config", nlohmann::json::parse(cfg)}, {"netns_path", netns_path},
          {"ipc_ns_path", ipc_ns_path}, {"uts_ns_path", uts_ns_path}, {"userns_path", userns_path}, {"shm_path", shm_path},
          {"hostname_path", hostname_path}, {"hosts_path", hosts_path},
          {"resolv_path", resolv_path}, {"network_name", network_name}, {"ip", ip},
          {"additional_ips", additional_ips}, {"not_ready_reason", not_ready_reason},
          {"infra_pid", infra_pid}, {"infra_start_time", infra_start_time},
          {"pid_ns_path", pid_ns_path}, {"infra_cgroups_path", infra_cgroups_path}};
}

absl::StatusOr<Sandbox> Sandbox::FromJson(const nlohmann::json& j) {
  Sandbox s;
  try {
    auto st = ParseSandboxState(j.at("state").get<std::string>());
    if (!st.ok()) return st.status();
    s = Restore(*st);
    s.id = j.at("id").get<std::string>();
    s.name_key = j.at("name_key").get<std::string>();
    s.created_at_ns = j.at("created_at_ns").get<int64_t>();
    s.runtime_handler = j.value("runtime_handler", "");
    auto cfg = google::protobuf::util::JsonStringToMessage(j.at("config").dump(), &s.config);
    if (!cfg.ok()) {
      return absl::DataLossError(absl::StrCat("sandbox ", s.id, " config: ", cfg.ToString()));
    }
    s.netns_path = j.value("netns_path", "");
    s.ipc_ns_path = j.value("ipc_ns_path", "");
    s.uts_ns_path = j.value("uts_ns_path", "");
    s.userns_path = j.value("userns_path", "");
    s.shm_path = j.value("shm_path", "");
    s.hostname_path = j.value("hostname_path", "");
    s.hosts_path = j.value("hosts_path", "");
    s.resolv_path = j.value("resolv_path", "");
    s.network_name = j.value("network_name", "");
    s.ip = j.value("ip", "");
    s.additional_ips = j.value("additional_ips", std::vector<std::string>{});
    s.not_ready_reason = j.value("not_ready_reason", "");
    s.infra_pid = j.value("infra_pid", 0);
    s.infra_start_time = j.value("infra_start_time", uint64_t{0});
    s.pid_ns_path = j.value("pid_ns_path", "");
    s.infra_cgroups_path = j.value("infra_cgroups_path", "");
    s.legacy_created_cgroup_parent = j.value("created_cgroup_parent", "");
  } catch (const nlohmann::json::exception& e) {
    return absl::DataLossError(absl::StrCat("sandbox record: ", e.what()));
  }
  return s;
}

}  // namespace cricket::pod
