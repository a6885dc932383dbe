// Container commands as crictl has them: create, start, ps (filters),
// inspect, stop, rm (exec lives in cmd_stream.cc).
#include <iostream>
#include <map>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "cri/api/proc_mount.h"
#include "cri/client/id_prefix.h"
#include "cri/ctl/cmd_common.h"
#include "cri/ctl/inspect_docker.h"
#include "cri/ctl/output.h"
#include "cri/ctl/ps_docker.h"
#include "nlohmann/json.hpp"
#include "oci/sys/fs.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

absl::StatusOr<v1::ContainerStatusResponse> Inspect(client::Client& c, const std::string& id) {
  v1::ContainerStatusRequest req;
  req.set_container_id(id);
  req.set_verbose(true);
  return c.Call(c.runtime(), &v1::RuntimeService::Stub::ContainerStatus, req, "ContainerStatus");
}

absl::StatusOr<v1::ContainerState> StateFlag(const std::string& text) {
  std::string s = absl::AsciiStrToUpper(text);
  if (s.rfind("CONTAINER_", 0) != 0) s = "CONTAINER_" + s;
  v1::ContainerState state;
  if (!v1::ContainerState_Parse(s, &state)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--state ", text, ": created, running, exited or unknown"));
  }
  return state;
}

absl::StatusOr<v1::ListContainersRequest> ContainerFilter(client::Client& c, const Flags& f) {
  v1::ListContainersRequest req;
  auto* filter = req.mutable_filter();
  if (f.Has("state")) {
    ASSIGN_OR_RETURN(v1::ContainerState s, StateFlag(f.Get("state")));
    filter->mutable_state()->set_state(s);
  } else if (!f.On("all") && !f.Has("id") && !f.On("latest") && !f.Has("last")) {
    filter->mutable_state()->set_state(v1::CONTAINER_RUNNING);  // crictl's default
  }
  if (f.Has("pod")) {
    ASSIGN_OR_RETURN(std::string pod, client::ResolvePodId(c, f.Get("pod")));
    filter->set_pod_sandbox_id(pod);
  }
  ASSIGN_OR_RETURN(auto labels, LabelsFrom(f));
  filter->mutable_label_selector()->insert(labels.begin(), labels.end());
  return req;
}

std::string ImageColumn(const v1::Container& ct) {
  const std::string& image = ct.image().image();
  return image.rfind("sha256:", 0) == 0 ? client::ShortId(image) : image;
}

std::string ContainerVerbose(const v1::Container& ct) {
  return absl::StrCat("ID: ", ct.id(), "\nPodID: ", ct.pod_sandbox_id(), "\nName: ",
                      ct.metadata().name(), "\nAttempt: ", ct.metadata().attempt(), "\nState: ",
                      v1::ContainerState_Name(ct.state()), "\nImage: ", ct.image().image(),
                      "\nCreated: ", absl::FormatTime(absl::FromUnixNanos(ct.created_at())),
                      "\nLabels:\n", MapLines(ct.labels()), "Annotations:\n",
                      MapLines(ct.annotations()), "\n");
}

absl::Status PrintContainers(client::Client& c, const std::vector<v1::Container>& cts,
                             const Flags& f, const OutputOptions& out) {
  if (f.On("quiet")) {
    for (const auto& ct : cts) std::cout << ct.id() << "\n";
    return absl::OkStatus();
  }
  if (out.format != Format::kTable) {
    v1::ListContainersResponse resp;
    for (const auto& ct : cts) *resp.add_containers() = ct;
    return PrintMessage(resp, out);
  }
  if (f.On("verbose")) {
    for (const auto& ct : cts) std::cout << ContainerVerbose(ct);
    return absl::OkStatus();
  }
  if (f.On("docker")) return PrintDockerPs(c, cts, f);
  std::map<std::string, std::string> pod_names;
  auto pods = c.Call(c.runtime(), &v1::RuntimeService::Stub::ListPodSandbox,
                     v1::ListPodSandboxRequest(), "ListPodSandbox");
  if (pods.ok()) {
    for (const auto& p : pods->items()) pod_names[p.id()] = p.metadata().name();
  }
  int64_t now = absl::ToUnixNanos(absl::Now());
  std::vector<std::vector<std::string>> rows = {
      {"CONTAINER", "IMAGE", "CREATED", "STATE", "NAME", "ATTEMPT", "POD ID", "POD"}};
  for (const auto& ct : cts) {
    // crictl's words: Created, Running, Exited, Unknown.
    std::string state = v1::ContainerState_Name(ct.state()).substr(10);
    for (size_t i = 1; i < state.size(); i++) state[i] = static_cast<char>(std::tolower(state[i]));
    rows.push_back({TableId(ct.id(), f), ImageColumn(ct), client::HumanAgo(ct.created_at(), now),
                    state, ct.metadata().name(),
                    std::to_string(ct.metadata().attempt()), TableId(ct.pod_sandbox_id(), f),
                    pod_names[ct.pod_sandbox_id()]});
  }
  std::cout << FormatTable(rows);
  return absl::OkStatus();
}

// Stops the container first when it runs and `force` is set; otherwise a
// running container is an error, as in crictl.
absl::Status StopIfRunning(client::Client& c, const std::string& id, bool force) {
  ASSIGN_OR_RETURN(auto st, Inspect(c, id));
  if (st.status().state() != v1::CONTAINER_RUNNING) return absl::OkStatus();
  if (!force) {
    return absl::FailedPreconditionError(
        absl::StrCat("container ", id, " is running: stop it first or use -f"));
  }
  v1::StopContainerRequest req;
  req.set_container_id(id);
  return c.Call(c.runtime(), &v1::RuntimeService::Stub::StopContainer, req, "StopContainer")
      .status();
}

}  // namespace

absl::Status RunCreate(const CommandContext& ctx, std::vector<std::string> args) {
  // crictl's form names two config files; anything else is docker's.
  if (args.size() != 3 || !sys::PathExists(args[1]) || !sys::PathExists(args[2])) {
    return RunDockerCreate(ctx, std::move(args));
  }
  ASSIGN_OR_RETURN(Flags f, ParseFlags("create", args));
  v1::CreateContainerRequest req;
  RETURN_IF_ERROR(ReadConfigFile(f.args[1], req.mutable_config(), "container config"));
  RETURN_IF_ERROR(ReadConfigFile(f.args[2], req.mutable_sandbox_config(), "pod sandbox config"));
  // As the kubelet does for procMount Default: runtimes take empty lists as Unmasked.
  cri_api::SetDefaultProcMount(req.mutable_config()->mutable_linux()->mutable_security_context());
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(std::string pod, client::ResolvePodId(*c, f.args[0]));
  req.set_pod_sandbox_id(pod);
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::CreateContainer,
                                      req, "CreateContainer"));
  std::cout << resp.container_id() << "\n";
  return absl::OkStatus();
}

absl::Status RunStart(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("start", args));
  if (f.args.empty()) return UsageError("start", "give at least one container id");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  return ForEachResolved(*c, f.args, client::ResolveContainerId, [&](const std::string& id) {
    v1::StartContainerRequest req;
    req.set_container_id(id);
    return c->Call(c->runtime(), &v1::RuntimeService::Stub::StartContainer, req, "StartContainer")
        .status();
  });
}

absl::Status RunPs(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("ps", args));
  if (!f.args.empty()) return UsageError("ps", "unexpected argument " + f.args[0]);
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kTable));
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  ASSIGN_OR_RETURN(v1::ListContainersRequest req, ContainerFilter(*c, f));
  ASSIGN_OR_RETURN(auto resp, c->Call(c->runtime(), &v1::RuntimeService::Stub::ListContainers,
                                      req, "ListContainers"));
  std::string image_id;
  if (f.Has("image")) {
    ASSIGN_OR_RETURN(image_id, client::ResolveImage(*c, f.Get("image")));
  }
  std::vector<v1::Container> cts;
  for (const auto& ct : resp.containers()) {
    if (f.Has("id") && ct.id().rfind(f.Get("id"), 0) != 0) continue;
    if (!NameMatches(f.Get("name"), ct.metadata().name())) continue;
    if (f.Has("image") && ct.image_ref() != image_id && ct.image_id() != image_id &&
        ct.image().image() != f.Get("image") && ct.image().image() != image_id) {
      continue;
    }
    cts.push_back(ct);
  }
  RETURN_IF_ERROR(NewestFirst(cts, f));
  return PrintContainers(*c, cts, f, out);
}

absl::Status RunInspect(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("inspect", args));
  ASSIGN_OR_RETURN(OutputOptions out, OutputFrom(f, Format::kJson, /*table_ok=*/false));
  if (f.args.empty()) return UsageError("inspect", "give at least one container id");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  if (f.On("docker")) return PrintDockerInspect(*c, f.args, out);
  for (const auto& prefix : f.args) {
    ASSIGN_OR_RETURN(std::string id, client::ResolveContainerId(*c, prefix));
    ASSIGN_OR_RETURN(auto resp, Inspect(*c, id));
    ASSIGN_OR_RETURN(nlohmann::json tree, VerboseTree(resp, resp.info()));
    RETURN_IF_ERROR(PrintTree(tree, out));
  }
  return absl::OkStatus();
}

absl::Status RunStop(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("stop", args));
  ASSIGN_OR_RETURN(int64_t timeout, f.GetInt("timeout", 10));
  if (f.args.empty()) return UsageError("stop", "give at least one container id");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  return ForEachResolved(*c, f.args, client::ResolveContainerId, [&](const std::string& id) {
    v1::StopContainerRequest req;
    req.set_container_id(id);
    req.set_timeout(timeout);
    return c->Call(c->runtime(), &v1::RuntimeService::Stub::StopContainer, req, "StopContainer")
        .status();
  });
}

absl::Status RunRm(const CommandContext& ctx, std::vector<std::string> args) {
  ASSIGN_OR_RETURN(Flags f, ParseFlags("rm", args));
  if (f.args.empty() && !f.On("all")) return UsageError("rm", "give container ids or -a");
  ASSIGN_OR_RETURN(auto c, Connect(ctx));
  std::vector<std::string> ids = f.args;
  if (f.On("all")) {
    ASSIGN_OR_RETURN(auto list, c->Call(c->runtime(), &v1::RuntimeService::Stub::ListContainers,
                                        v1::ListContainersRequest(), "ListContainers"));
    for (const auto& ct : list.containers()) ids.push_back(ct.id());
  }
  return ForEachResolved(*c, ids, client::ResolveContainerId, [&](const std::string& id) {
    RETURN_IF_ERROR(StopIfRunning(*c, id, f.On("force")));
    v1::RemoveContainerRequest req;
    req.set_container_id(id);
    return c->Call(c->runtime(), &v1::RuntimeService::Stub::RemoveContainer, req,
                   "RemoveContainer")
        .status();
  });
}

}  // namespace cricket::cri::ctl
