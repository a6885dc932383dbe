// A CRI v1 client over a unix socket: typed calls that return absl::StatusOr,
// with one deadline per call, and the raw stubs for everything else.
// cricketctl and the e2e tests use it; it works against any CRI runtime.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "cri/api/api_grpc.h"
#include "cri/api/cricket.grpc.pb.h"

namespace cricket::cri::client {

namespace v1 = ::runtime::v1;

struct ConnectOptions {
  std::string endpoint;                      // see endpoint.h; "" = ChooseEndpoint("")
  std::chrono::milliseconds timeout{10000};  // for the connection and for each call
  // ImageService on another socket (crictl's --image-endpoint); "" = endpoint.
  std::string image_endpoint;
};

// gRPC status → absl status with the same code; `what` prefixes the message.
absl::Status FromGrpcStatus(const grpc::Status& st, std::string_view what);

class Client {
 public:
  // Waits up to the timeout for the socket to accept: Unavailable naming the
  // endpoint when nothing answers.
  static absl::StatusOr<std::unique_ptr<Client>> Connect(const ConnectOptions& options);

  absl::StatusOr<v1::VersionResponse> Version();
  absl::StatusOr<v1::StatusResponse> Status(bool verbose);
  absl::StatusOr<v1::RuntimeConfigResponse> RuntimeConfig();

  v1::RuntimeService::Stub& runtime() { return *runtime_; }
  v1::ImageService::Stub& images() { return *images_; }
  // cricket's own extensions (cri/api/cricket.proto), on the image endpoint;
  // other runtimes answer UNIMPLEMENTED.
  ::cricket::v1::Images::Stub& cricket_images() { return *cricket_images_; }
  // ... and on the runtime endpoint (KillContainer).
  ::cricket::v1::Containers::Stub& cricket_containers() { return *cricket_containers_; }

  // A context carrying the per-call deadline, for calls through the raw stubs.
  std::unique_ptr<grpc::ClientContext> NewContext() const;

  // One unary call through a stub method with a fresh context and status mapping:
  //   client.Call(client.runtime(), &v1::RuntimeService::Stub::ListPodSandbox, req,
  //   "ListPodSandbox")
  template <class StubT, class Req, class Resp>
  absl::StatusOr<Resp> Call(StubT& stub,
                            grpc::Status (StubT::*method)(grpc::ClientContext*, const Req&, Resp*),
                            const Req& req, std::string_view rpc) {
    Resp resp;
    auto ctx = NewContext();
    grpc::Status st = (stub.*method)(ctx.get(), req, &resp);
    if (!st.ok()) return FromGrpcStatus(st, rpc);
    return resp;
  }

  const std::string& endpoint() const { return endpoint_; }
  std::chrono::milliseconds timeout() const { return timeout_; }

 private:
  Client() = default;

  std::string endpoint_;
  std::chrono::milliseconds timeout_{0};
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::RuntimeService::Stub> runtime_;
  std::shared_ptr<grpc::Channel> image_channel_;
  std::unique_ptr<v1::ImageService::Stub> images_;
  std::unique_ptr<::cricket::v1::Images::Stub> cricket_images_;
  std::unique_ptr<::cricket::v1::Containers::Stub> cricket_containers_;
};

}  // namespace cricket::cri::client
