// Builds and runs the gRPC server; owns the socket file while it serves.
#include "cri/daemon/server.h"

#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "cri/daemon/socket_file.h"
#include "cri/service/container_kill.h"
#include "cri/service/image_import.h"
#include "oci/sys/log.h"
#include "oci/sys/status.h"

namespace cricket::cri {
namespace {

// The kubelet's own limit for CRI messages (and containerd's default).
constexpr int kMaxMessageBytes = 16 << 20;

}  // namespace

absl::StatusOr<std::unique_ptr<Server>> Server::Start(std::shared_ptr<const HandlerContext> ctx) {
  RETURN_IF_ERROR(CheckWired(*ctx));
  std::unique_ptr<Server> s(new Server());
  s->socket_path_ = ctx->config.socket_path;
  RETURN_IF_ERROR(PrepareSocketPath(s->socket_path_));
  s->runtime_ = std::make_unique<GrpcRuntimeService>(std::make_shared<RuntimeHandlers>(ctx));
  s->image_ = std::make_unique<GrpcImageService>(std::make_shared<ImageHandlers>(ctx));
  s->cricket_images_ = std::make_unique<GrpcCricketImages>(ctx);
  s->cricket_containers_ = std::make_unique<GrpcCricketContainers>(ctx);

  grpc::ServerBuilder builder;
  builder.AddListeningPort(absl::StrCat("unix:", s->socket_path_),
                           grpc::InsecureServerCredentials());
  builder.RegisterService(s->runtime_.get());
  builder.RegisterService(s->image_.get());
  builder.RegisterService(s->cricket_images_.get());  // cricket.v1 extensions
  builder.RegisterService(s->cricket_containers_.get());
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  // bind(2) creates the socket with the umask applied: keep "other" out from
  // the first moment rather than only after the chmod below.
  const mode_t old_umask = ::umask(0117);
  s->server_ = builder.BuildAndStart();
  ::umask(old_umask);
  if (!s->server_) {
    return absl::UnavailableError(absl::StrCat("cannot listen on unix socket ", s->socket_path_));
  }
  if (absl::Status st = SecureSocket(s->socket_path_); !st.ok()) {
    s->Shutdown(std::chrono::milliseconds(0));
    return st;
  }
  return s;
}

Server::~Server() { Shutdown(std::chrono::milliseconds(0)); }

void Server::Shutdown(std::chrono::milliseconds grace) {
  if (!server_) return;
  server_->Shutdown(std::chrono::system_clock::now() + grace);
  server_->Wait();
  server_.reset();
  if (absl::Status st = RemoveSocket(socket_path_); !st.ok()) {
    sys::LogWarn("cannot remove socket", {{"error", std::string(st.message())}});
  }
}

}  // namespace cricket::cri
