// The generated gRPC services, bound to the gRPC-free handlers: each override
// is one line that runs its handler through Instrumented().
#pragma once

#include <grpcpp/grpcpp.h>

#include <memory>

#include "cri/api/api_grpc.h"
#include "cri/service/image_handlers.h"
#include "cri/service/instrumented.h"
#include "cri/service/runtime_handlers.h"

// Request/response names follow "<Rpc>Request" / "<Rpc>Response" except where
// the API says otherwise (GetContainerEvents), hence explicit Req/Resp.
#define CRICKET_CRI_UNARY(Rpc, Req, Resp)                                               \
  grpc::Status Rpc(grpc::ServerContext* ctx, const v1::Req* req, v1::Resp* resp) override { \
    return Instrumented(#Rpc, ctx, [&] { return handlers_->Rpc(*req, resp); });              \
  }
#define CRICKET_CRI_STREAM(Rpc, Req, Resp)                                                    \
  grpc::Status Rpc(grpc::ServerContext*, const v1::Req* req, grpc::ServerWriter<v1::Resp>* w) \
      override {                                                                              \
    return Instrumented(#Rpc, [&] {                                                           \
      return handlers_->Rpc(*req, [w](const v1::Resp& r) { return w->Write(r); });            \
    });                                                                                       \
  }
#define CRICKET_CRI_SIMPLE(Rpc) CRICKET_CRI_UNARY(Rpc, Rpc##Request, Rpc##Response)

namespace cricket::cri {

class GrpcRuntimeService final : public v1::RuntimeService::Service {
 public:
  explicit GrpcRuntimeService(std::shared_ptr<RuntimeHandlers> h) : handlers_(std::move(h)) {}

  CRICKET_CRI_SIMPLE(Version)
  CRICKET_CRI_SIMPLE(RunPodSandbox)
  CRICKET_CRI_SIMPLE(StopPodSandbox)
  CRICKET_CRI_SIMPLE(RemovePodSandbox)
  CRICKET_CRI_SIMPLE(PodSandboxStatus)
  CRICKET_CRI_SIMPLE(ListPodSandbox)
  CRICKET_CRI_STREAM(StreamPodSandboxes, StreamPodSandboxesRequest, StreamPodSandboxesResponse)
  CRICKET_CRI_SIMPLE(CreateContainer)
  CRICKET_CRI_SIMPLE(StartContainer)
  CRICKET_CRI_SIMPLE(StopContainer)
  CRICKET_CRI_SIMPLE(RemoveContainer)
  CRICKET_CRI_SIMPLE(ListContainers)
  CRICKET_CRI_STREAM(StreamContainers, StreamContainersRequest, StreamContainersResponse)
  CRICKET_CRI_SIMPLE(ContainerStatus)
  CRICKET_CRI_SIMPLE(UpdateContainerResources)
  CRICKET_CRI_SIMPLE(ReopenContainerLog)
  CRICKET_CRI_SIMPLE(ExecSync)
  CRICKET_CRI_SIMPLE(Exec)
  CRICKET_CRI_SIMPLE(Attach)
  CRICKET_CRI_SIMPLE(PortForward)
  CRICKET_CRI_SIMPLE(ContainerStats)
  CRICKET_CRI_SIMPLE(ListContainerStats)
  CRICKET_CRI_STREAM(StreamContainerStats, StreamContainerStatsRequest,
                     StreamContainerStatsResponse)
  CRICKET_CRI_SIMPLE(PodSandboxStats)
  CRICKET_CRI_SIMPLE(ListPodSandboxStats)
  CRICKET_CRI_STREAM(StreamPodSandboxStats, StreamPodSandboxStatsRequest,
                     StreamPodSandboxStatsResponse)
  CRICKET_CRI_SIMPLE(UpdateRuntimeConfig)
  CRICKET_CRI_SIMPLE(Status)
  CRICKET_CRI_SIMPLE(CheckpointContainer)
  CRICKET_CRI_STREAM(GetContainerEvents, GetEventsRequest, ContainerEventResponse)
  CRICKET_CRI_SIMPLE(ListMetricDescriptors)
  CRICKET_CRI_SIMPLE(ListPodSandboxMetrics)
  CRICKET_CRI_STREAM(StreamPodSandboxMetrics, StreamPodSandboxMetricsRequest,
                     StreamPodSandboxMetricsResponse)
  CRICKET_CRI_SIMPLE(RuntimeConfig)
  CRICKET_CRI_SIMPLE(UpdatePodSandboxResources)

 private:
  std::shared_ptr<RuntimeHandlers> handlers_;
};

class GrpcImageService final : public v1::ImageService::Service {
 public:
  explicit GrpcImageService(std::shared_ptr<ImageHandlers> h) : handlers_(std::move(h)) {}

  CRICKET_CRI_SIMPLE(ListImages)
  CRICKET_CRI_STREAM(StreamImages, StreamImagesRequest, StreamImagesResponse)
  CRICKET_CRI_SIMPLE(ImageStatus)
  // The one handler told when its caller goes away: a pull runs for minutes,
  // and one nobody waits for must stop its downloads.
  grpc::Status PullImage(grpc::ServerContext* ctx, const v1::PullImageRequest* req,
                         v1::PullImageResponse* resp) override {
    return Instrumented("PullImage", ctx, [&] {
      return handlers_->PullImage(*req, resp, [ctx] { return ctx->IsCancelled(); });
    });
  }
  CRICKET_CRI_SIMPLE(RemoveImage)
  CRICKET_CRI_SIMPLE(ImageFsInfo)

 private:
  std::shared_ptr<ImageHandlers> handlers_;
};

}  // namespace cricket::cri

#undef CRICKET_CRI_SIMPLE
#undef CRICKET_CRI_STREAM
#undef CRICKET_CRI_UNARY
