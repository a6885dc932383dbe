// Container record (de)serialisation; the CRI config is kept as protobuf JSON.
#include "pod/container.h"

#include <google/protobuf/util/json_util.h>

#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "pod/monitor/protocol/exit_file.h"

namespace cricket::pod {

std::string ContainerNameKey(const runtime::v1::ContainerMetadata& m,
                             const runtime::v1::PodSandboxMetadata& pod) {
  return absl::StrCat(m.name(), "_", pod.name(), "_", pod.namespace_(), "_", pod.uid(), "_",
                      m.attempt());
}

nlohmann::json Container::ToJson() const {
  std::string cfg;
  (void)google::protobuf::util::MessageToJsonString(config, &cfg);
  nlohmann::json cfg_json = nlohmann::json::parse(cfg, nullptr, false);
  return {{"id", id}, {"pod_id", pod_id}, {"name", name}, {"name_key", name_key},
          {"state", std::string(Name(state()))}, {"created_at_ns", created_at_ns},
          {"started_at_ns", started_at_ns}, {"finished_at_ns", finished_at_ns},
          {"exit_code", exit_code}, {"reason", reason}, {"message", message},
          {"image", image}, {"image_ref", image_ref}, {"image_id", image_id}, {"stop_signal", stop_signal},
          {"log_path", log_path}, {"rootfs", rootfs}, {"image_volumes", image_volumes},
          {"labels", labels},
          {"annotations", annotations}, {"config", cfg_json}, {"pid", pid},
          {"monitor_pid", monitor_pid}, {"runtime_handler", runtime_handler},
          {"uid", uid}, {"gid", gid}, {"supplemental_groups", supplemental_groups}};
}

absl::StatusOr<Container> Container::FromJson(const nlohmann::json& j) {
  Container c;
  try {
    auto st = ParseContainerState(j.at("state").get<std::string>());
    if (!st.ok()) return st.status();
    c = Restore(*st);
    c.id = j.at("id").get<std::string>();
    c.pod_id = j.at("pod_id").get<std::string>();
    c.name = j.value("name", "");
    c.name_key = j.at("name_key").get<std::string>();
    c.created_at_ns = j.value("created_at_ns", int64_t{0});
    c.started_at_ns = j.value("started_at_ns", int64_t{0});
    c.finished_at_ns = j.value("finished_at_ns", int64_t{0});
    c.exit_code = j.value("exit_code", 0);
    c.reason = j.value("reason", "");
    c.message = j.value("message", "");
    c.image = j.value("image", "");
    c.image_ref = j.value("image_ref", "");
    c.image_id = j.value("image_id", "");
    c.stop_signal = j.value("stop_signal", "");
    c.log_path = j.value("log_path", "");
    c.rootfs = j.value("rootfs", "");
    c.image_volumes = j.value("image_volumes", std::map<std::string, std::string>{});
    c.labels = j.value("labels", std::map<std::string, std::string>{});
    c.annotations = j.value("annotations", std::map<std::string, std::string>{});
    auto cfg = google::protobuf::util::JsonStringToMessage(j.at("config").dump(), &c.config);
    if (!cfg.ok()) {
      return absl::DataLossError(absl::StrCat("container ", c.id, " config: ", cfg.ToString()));
    }
    c.pid = j.value("pid", 0);
    c.monitor_pid = j.value("monitor_pid", 0);
    c.runtime_handler = j.value("runtime_handler", "");
    c.uid = j.value("uid", int64_t{-1});
    c.gid = j.value("gid", int64_t{-1});
    c.supplemental_groups = j.value("supplemental_groups", std::vector<int64_t>{});
  } catch (const nlohmann::json::exception& e) {
    return absl::DataLossError(absl::StrCat("container record: ", e.what()));
  }
  return c;
}

bool ApplyExit(const ExitRecord& exit, Container* c) {
  // Created, Running and Unknown may exit; an Exited record keeps its first exit.
  if (!c->TransitionTo(ContainerState::kExited).ok()) return false;
  c->exit_code = exit.exit_code;
  c->finished_at_ns = exit.finished_at_ns;
  c->reason = exit.reason;
  if (exit.signal != 0) c->message = absl::StrCat("killed by signal ", exit.signal);
  return true;
}

bool Matches(const ContainerFilter& f, const Container& c) {
  if (!f.id_prefix.empty() && c.id.rfind(f.id_prefix, 0) != 0) return false;
  if (f.state && c.state() != *f.state) return false;
  if (!f.pod_id_prefix.empty() && c.pod_id.rfind(f.pod_id_prefix, 0) != 0) return false;
  for (const auto& [k, v] : f.labels) {
    auto it = c.labels.find(k);
    if (it == c.labels.end() || it->second != v) return false;
  }
  return true;
}

}  // namespace cricket::pod
