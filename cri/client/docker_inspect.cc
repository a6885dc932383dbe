// See docker_inspect.h.
#include "cri/client/docker_inspect.h"

#include "absl/time/time.h"

namespace cricket::cri::client {
namespace {

namespace v1 = ::runtime::v1;
using nlohmann::json;

// The verbose info's "info" document (pid, runtimeSpec, ...); {} when absent.
json VerboseInfo(const v1::ContainerStatusResponse& ct) {
  auto it = ct.info().find("info");
  if (it == ct.info().end()) return json::object();
  json info = json::parse(it->second, nullptr, /*allow_exceptions=*/false);
  return info.is_object() ? info : json::object();
}

// docker's State.Status words.
// A number or bool field of a runtime's info; 0 or false when it is absent
// or of another type (the info is the runtime's own JSON).
int64_t IntField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}
bool BoolField(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

const char* StateWord(v1::ContainerState s) {
  switch (s) {
    case v1::CONTAINER_CREATED:
      return "created";
    case v1::CONTAINER_RUNNING:
      return "running";
    case v1::CONTAINER_EXITED:
      return "exited";
    default:
      return "dead";  // CONTAINER_UNKNOWN: docker's word for a container it lost
  }
}

const char* Propagation(v1::MountPropagation p) {
  switch (p) {
    case v1::PROPAGATION_HOST_TO_CONTAINER:
      return "rslave";
    case v1::PROPAGATION_BIDIRECTIONAL:
      return "rshared";
    default:
      return "rprivate";
  }
}

json State(const v1::ContainerStatus& st, const json& info) {
  const bool running = st.state() == v1::CONTAINER_RUNNING;
  return {{"Status", StateWord(st.state())},
          {"Running", running},
          {"Paused", false},  // CRI has no paused state
          {"OOMKilled", st.reason() == "OOMKilled"},
          {"Dead", st.state() == v1::CONTAINER_UNKNOWN},
          {"Pid", running ? IntField(info, "pid") : 0},  // docker: 0 unless running
          {"ExitCode", st.exit_code()},
          {"Error", st.state() == v1::CONTAINER_EXITED && st.exit_code() != 0 ? st.message() : ""},
          {"StartedAt", DockerTime(st.started_at())},
          {"FinishedAt", DockerTime(st.finished_at())}};
}

json Mounts(const v1::ContainerStatus& st) {
  json out = json::array();
  for (const auto& m : st.mounts()) {
    const bool image = !m.image().image().empty();
    out.push_back({{"Type", image ? "image" : "bind"},
                   {"Source", image ? m.image().image() : m.host_path()},
                   {"Destination", m.container_path()},
                   {"Mode", m.readonly() ? "ro" : ""},
                   {"RW", !m.readonly()},
                   {"Propagation", Propagation(m.propagation())}});
  }
  return out;
}

json Config(const v1::ContainerStatus& st, const json& process) {
  json labels = json::object();
  for (const auto& [k, v] : st.labels()) labels[k] = v;
  json cfg = {{"Image", st.image().image()}, {"Labels", labels}};
  // The container's user as the runtime runs it (docker: "" for the default root).
  if (st.user().has_linux()) {
    const auto& u = st.user().linux();
    cfg["User"] = u.uid() == 0 && u.gid() == 0 ? "" : std::to_string(u.uid()) + ":" +
                                                           std::to_string(u.gid());
  }
  if (process.contains("env")) cfg["Env"] = process["env"];
  if (process.contains("cwd")) cfg["WorkingDir"] = process["cwd"];
  if (process.contains("args")) cfg["Cmd"] = process["args"];
  cfg["Tty"] = BoolField(process, "terminal");
  return cfg;
}

json HostConfig(const v1::ContainerStatus& st, const v1::PodSandboxStatusResponse* pod) {
  const auto& r = st.resources().linux();
  json hc = {{"Memory", r.memory_limit_in_bytes()}, {"MemorySwap", r.memory_swap_limit_in_bytes()},
             {"CpuShares", r.cpu_shares()},         {"CpuPeriod", r.cpu_period()},
             {"CpuQuota", r.cpu_quota()},           {"CpusetCpus", r.cpuset_cpus()},
             {"CpusetMems", r.cpuset_mems()},       {"OomScoreAdj", r.oom_score_adj()}};
  // docker --cpus sets NanoCpus; CRI carries it as quota over period.
  hc["NanoCpus"] = r.cpu_period() > 0 && r.cpu_quota() > 0
                       ? r.cpu_quota() * 1000000000 / r.cpu_period()
                       : 0;
  if (pod != nullptr) {
    const auto& ns = pod->status().linux().namespaces().options();
    hc["NetworkMode"] = ns.network() == v1::NODE ? "host" : "pod";
    hc["PidMode"] = ns.pid() == v1::NODE ? "host" : "";
    hc["IpcMode"] = ns.ipc() == v1::NODE ? "host" : "";
  }
  return hc;
}

json NetworkSettings(const v1::PodSandboxStatusResponse* pod) {
  json ns = {{"IPAddress", pod != nullptr ? pod->status().network().ip() : ""}};
  json extra = json::array();
  if (pod != nullptr) {
    for (const auto& ip : pod->status().network().additional_ips()) extra.push_back(ip.ip());
  }
  ns["SecondaryIPAddresses"] = extra;
  return ns;
}

}  // namespace

std::string DockerTime(int64_t unix_nanos) {
  if (unix_nanos == 0) return "0001-01-01T00:00:00Z";
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", absl::FromUnixNanos(unix_nanos),
                          absl::UTCTimeZone());
}

json DockerInspect(const v1::ContainerStatusResponse& ct, const v1::PodSandboxStatusResponse* pod) {
  const v1::ContainerStatus& st = ct.status();
  const json info = VerboseInfo(ct);
  json process = json::object();
  if (info.contains("runtimeSpec") && info["runtimeSpec"].is_object() &&
      info["runtimeSpec"].contains("process")) {
    process = info["runtimeSpec"]["process"];
  }
  json out = {{"Id", st.id()},
              {"Created", DockerTime(st.created_at())},
              {"State", State(st, info)},
              {"Image", st.image_id().empty() ? st.image_ref() : st.image_id()},
              {"Name", "/" + st.metadata().name()},
              {"RestartCount", st.metadata().attempt()},
              {"LogPath", st.log_path()},
              {"Mounts", Mounts(st)},
              {"Config", Config(st, process)},
              {"HostConfig", HostConfig(st, pod)},
              {"NetworkSettings", NetworkSettings(pod)}};
  if (process.contains("args") && process["args"].is_array() && !process["args"].empty()) {
    out["Path"] = process["args"][0];
    out["Args"] = json(process["args"].begin() + 1, process["args"].end());
  }
  if (pod != nullptr) out["PodId"] = pod->status().id();  // not docker's; a pod is CRI's unit
  return out;
}

}  // namespace cricket::cri::client
