// The RuntimeService logic, free of gRPC: each method takes a request, fills a
// response and returns absl::Status. Methods are defined one RPC group per file
// (runtime_status.cc, sandbox_*.cc, container_*.cc, exec_*.cc, stats.cc, events.cc).
#pragma once

#include <memory>

#include "absl/status/status.h"
#include "cri/api/api.h"
#include "cri/service/handler_context.h"

namespace cricket::cri {

namespace v1 = ::runtime::v1;

class RuntimeHandlers {
 public:
  explicit RuntimeHandlers(std::shared_ptr<const HandlerContext> ctx) : ctx_(std::move(ctx)) {}

  // runtime_status.cc
  absl::Status Version(const v1::VersionRequest& req, v1::VersionResponse* resp);
  absl::Status Status(const v1::StatusRequest& req, v1::StatusResponse* resp);
  absl::Status RuntimeConfig(const v1::RuntimeConfigRequest& req, v1::RuntimeConfigResponse* resp);
  absl::Status UpdateRuntimeConfig(const v1::UpdateRuntimeConfigRequest& req,
                                   v1::UpdateRuntimeConfigResponse* resp);

  // sandbox_run.cc
  absl::Status RunPodSandbox(const v1::RunPodSandboxRequest& req, v1::RunPodSandboxResponse* resp);
  // sandbox_stop_remove.cc
  absl::Status StopPodSandbox(const v1::StopPodSandboxRequest& req,
                              v1::StopPodSandboxResponse* resp);
  absl::Status RemovePodSandbox(const v1::RemovePodSandboxRequest& req,
                                v1::RemovePodSandboxResponse* resp);
  // sandbox_status_list.cc
  absl::Status PodSandboxStatus(const v1::PodSandboxStatusRequest& req,
                                v1::PodSandboxStatusResponse* resp);
  absl::Status ListPodSandbox(const v1::ListPodSandboxRequest& req,
                              v1::ListPodSandboxResponse* resp);
  absl::Status StreamPodSandboxes(const v1::StreamPodSandboxesRequest& req,
                                  const Sink<v1::StreamPodSandboxesResponse>& send);
  // sandbox_update.cc
  absl::Status UpdatePodSandboxResources(const v1::UpdatePodSandboxResourcesRequest& req,
                                         v1::UpdatePodSandboxResourcesResponse* resp);

  // container_create.cc
  absl::Status CreateContainer(const v1::CreateContainerRequest& req,
                               v1::CreateContainerResponse* resp);
  // container_lifecycle.cc
  absl::Status StartContainer(const v1::StartContainerRequest& req,
                              v1::StartContainerResponse* resp);
  absl::Status StopContainer(const v1::StopContainerRequest& req, v1::StopContainerResponse* resp);
  absl::Status RemoveContainer(const v1::RemoveContainerRequest& req,
                               v1::RemoveContainerResponse* resp);
  // container_status_list.cc
  absl::Status ContainerStatus(const v1::ContainerStatusRequest& req,
                               v1::ContainerStatusResponse* resp);
  absl::Status ListContainers(const v1::ListContainersRequest& req,
                              v1::ListContainersResponse* resp);
  absl::Status StreamContainers(const v1::StreamContainersRequest& req,
                                const Sink<v1::StreamContainersResponse>& send);
  // container_update.cc
  absl::Status UpdateContainerResources(const v1::UpdateContainerResourcesRequest& req,
                                        v1::UpdateContainerResourcesResponse* resp);
  absl::Status ReopenContainerLog(const v1::ReopenContainerLogRequest& req,
                                  v1::ReopenContainerLogResponse* resp);
  absl::Status CheckpointContainer(const v1::CheckpointContainerRequest& req,
                                   v1::CheckpointContainerResponse* resp);

  // exec_sync.cc
  absl::Status ExecSync(const v1::ExecSyncRequest& req, v1::ExecSyncResponse* resp);
  // exec_streaming.cc: URLs for the streaming server.
  absl::Status Exec(const v1::ExecRequest& req, v1::ExecResponse* resp);
  absl::Status Attach(const v1::AttachRequest& req, v1::AttachResponse* resp);
  absl::Status PortForward(const v1::PortForwardRequest& req, v1::PortForwardResponse* resp);

  // stats.cc
  absl::Status ContainerStats(const v1::ContainerStatsRequest& req,
                              v1::ContainerStatsResponse* resp);
  absl::Status ListContainerStats(const v1::ListContainerStatsRequest& req,
                                  v1::ListContainerStatsResponse* resp);
  absl::Status StreamContainerStats(const v1::StreamContainerStatsRequest& req,
                                    const Sink<v1::StreamContainerStatsResponse>& send);
  absl::Status PodSandboxStats(const v1::PodSandboxStatsRequest& req,
                               v1::PodSandboxStatsResponse* resp);
  absl::Status ListPodSandboxStats(const v1::ListPodSandboxStatsRequest& req,
                                   v1::ListPodSandboxStatsResponse* resp);
  absl::Status StreamPodSandboxStats(const v1::StreamPodSandboxStatsRequest& req,
                                     const Sink<v1::StreamPodSandboxStatsResponse>& send);
  // metrics.cc
  absl::Status ListMetricDescriptors(const v1::ListMetricDescriptorsRequest& req,
                                     v1::ListMetricDescriptorsResponse* resp);
  absl::Status ListPodSandboxMetrics(const v1::ListPodSandboxMetricsRequest& req,
                                     v1::ListPodSandboxMetricsResponse* resp);
  absl::Status StreamPodSandboxMetrics(const v1::StreamPodSandboxMetricsRequest& req,
                                       const Sink<v1::StreamPodSandboxMetricsResponse>& send);

  // events.cc
  absl::Status GetContainerEvents(const v1::GetEventsRequest& req,
                                  const Sink<v1::ContainerEventResponse>& send);

 private:
  const HandlerContext& ctx() const { return *ctx_; }

  std::shared_ptr<const HandlerContext> ctx_;
};

}  // namespace cricket::cri
