// See inspect_docker.h.
#include "cri/ctl/inspect_docker.h"

#include "cri/client/docker_inspect.h"
#include "cri/client/id_prefix.h"
#include "oci/sys/status.h"

namespace cricket::cri::ctl {
namespace {

// The container's pod status, through ListContainers (any runtime says which
// pod a container is in); nullopt when the pod is gone.
absl::StatusOr<std::optional<v1::PodSandboxStatusResponse>> PodOf(client::Client& c,
                                                                 const std::string& id) {
  v1::ListContainersRequest list;
  list.mutable_filter()->set_id(id);
  ASSIGN_OR_RETURN(auto cts, c.Call(c.runtime(), &v1::RuntimeService::Stub::ListContainers, list,
                                    "ListContainers"));
  if (cts.containers().empty()) return std::nullopt;
  v1::PodSandboxStatusRequest req;
  req.set_pod_sandbox_id(cts.containers(0).pod_sandbox_id());
  auto pod = c.Call(c.runtime(), &v1::RuntimeService::Stub::PodSandboxStatus, req,
                    "PodSandboxStatus");
  if (absl::IsNotFound(pod.status())) return std::nullopt;
  if (!pod.ok()) return pod.status();
  return *pod;
}

}  // namespace

absl::Status PrintDockerInspect(client::Client& c, const std::vector<std::string>& prefixes,
                                const OutputOptions& out) {
  nlohmann::json all = nlohmann::json::array();
  for (const auto& prefix : prefixes) {
    ASSIGN_OR_RETURN(std::string id, client::ResolveContainerId(c, prefix));
    v1::ContainerStatusRequest req;
    req.set_container_id(id);
    req.set_verbose(true);
    ASSIGN_OR_RETURN(auto st, c.Call(c.runtime(), &v1::RuntimeService::Stub::ContainerStatus,
                                     req, "ContainerStatus"));
    ASSIGN_OR_RETURN(auto pod, PodOf(c, id));
    all.push_back(client::DockerInspect(st, pod ? &*pod : nullptr));
  }
  if (out.format != Format::kGoTemplate) return PrintTree(all, out);
  for (const auto& one : all) RETURN_IF_ERROR(PrintTree(one, out));
  return absl::OkStatus();
}

}  // namespace cricket::cri::ctl
