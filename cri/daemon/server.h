// cricketd's gRPC server: RuntimeService and ImageService on the unix socket.
#pragma once

#include <grpcpp/server.h>

#include <chrono>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "cri/service/grpc_services.h"
#include "cri/service/handler_context.h"

namespace cricket::cri {

class Server {
 public:
  // Checks that ctx has every service (CheckWired: FailedPrecondition before
  // touching the socket), clears the socket path (see PrepareSocketPath),
  // binds, secures the socket (0660 root:root) and starts serving.
  // AlreadyExists when a live daemon answers on the socket.
  static absl::StatusOr<std::unique_ptr<Server>> Start(std::shared_ptr<const HandlerContext> ctx);

  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();

  // Stops accepting, lets calls in flight finish until `grace`, cancels the
  // rest, then removes the socket. Safe to call twice.
  void Shutdown(std::chrono::milliseconds grace);

  const std::string& socket_path() const { return socket_path_; }

 private:
  Server() = default;

  std::string socket_path_;
  std::unique_ptr<GrpcRuntimeService> runtime_;
  std::unique_ptr<GrpcImageService> image_;
  std::unique_ptr<grpc::Service> cricket_images_;  // cricket.v1.Images (image_import.h)
  std::unique_ptr<grpc::Service> cricket_containers_;  // cricket.v1.Containers (container_kill.h)
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace cricket::cri
