// Connection set-up and the typed calls of the CRI client.
#include "cri/client/client.h"

#include "absl/strings/str_cat.h"
#include "cri/client/endpoint.h"
#include "oci/sys/status.h"

namespace cricket::cri::client {
namespace {

// The kubelet's CRI message limit; ListContainers on a busy node can be large.
constexpr int kMaxMessageBytes = 16 << 20;

// A channel to `endpoint`, once the socket accepts (Unavailable naming it otherwise).
absl::StatusOr<std::shared_ptr<grpc::Channel>> OpenChannel(const std::string& endpoint,
                                                           std::chrono::milliseconds timeout) {
  ASSIGN_OR_RETURN(std::string target, GrpcTarget(endpoint));
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  auto channel = grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + timeout)) {
    return absl::UnavailableError(absl::StrCat("cannot connect to ", endpoint, " within ",
                                               timeout.count(), "ms: is the runtime running?"));
  }
  return channel;
}

}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& st, std::string_view what) {
  if (st.ok()) return absl::OkStatus();
  // gRPC and absl share the canonical code numbering.
  return absl::Status(static_cast<absl::StatusCode>(st.error_code()),
                      absl::StrCat(std::string(what), ": ", st.error_message()));
}

absl::StatusOr<std::unique_ptr<Client>> Client::Connect(const ConnectOptions& options) {
  std::string endpoint = options.endpoint.empty() ? ChooseEndpoint("") : options.endpoint;
  std::unique_ptr<Client> c(new Client());
  c->endpoint_ = endpoint;
  c->timeout_ = options.timeout;
  ASSIGN_OR_RETURN(c->channel_, OpenChannel(endpoint, options.timeout));
  c->image_channel_ = c->channel_;
  if (!options.image_endpoint.empty() && options.image_endpoint != endpoint) {
    ASSIGN_OR_RETURN(c->image_channel_, OpenChannel(options.image_endpoint, options.timeout));
  }
  c->runtime_ = v1::RuntimeService::NewStub(c->channel_);
  c->images_ = v1::ImageService::NewStub(c->image_channel_);
  c->cricket_images_ = ::cricket::v1::Images::NewStub(c->image_channel_);
  c->cricket_containers_ = ::cricket::v1::Containers::NewStub(c->channel_);
  return c;
}

std::unique_ptr<grpc::ClientContext> Client::NewContext() const {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + timeout_);
  return ctx;
}

absl::StatusOr<v1::VersionResponse> Client::Version() {
  v1::VersionRequest req;
  req.set_version("v1");
  return Call(runtime(), &v1::RuntimeService::Stub::Version, req, "Version");
}

absl::StatusOr<v1::StatusResponse> Client::Status(bool verbose) {
  v1::StatusRequest req;
  req.set_verbose(verbose);
  return Call(runtime(), &v1::RuntimeService::Stub::Status, req, "Status");
}

absl::StatusOr<v1::RuntimeConfigResponse> Client::RuntimeConfig() {
  return Call(runtime(), &v1::RuntimeService::Stub::RuntimeConfig, v1::RuntimeConfigRequest(),
              "RuntimeConfig");
}

}  // namespace cricket::cri::client
