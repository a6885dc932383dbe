// The streaming server of cricketd: Exec, Attach and PortForward register
// their request here and get a one-time URL; kubectl/crictl then connect to
// it and speak SPDY/3.1 or WebSocket (see cri/streaming/*). One thread per
// connection; stopping the server ends every session.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "conf/config.h"
#include "cri/api/api.h"
#include "oci/sys/unique_fd.h"
#include "pod/stream_session.h"

namespace cricket::pod {
class ContainerManager;
class SandboxManager;
}  // namespace cricket::pod

namespace cricket::cri::streaming {

// What the server needs from the pod layer (a seam for protocol tests).
class StreamRuntime {
 public:
  virtual ~StreamRuntime() = default;
  virtual absl::StatusOr<std::unique_ptr<pod::StreamSession>> Exec(
      const std::string& container_id, const std::vector<std::string>& cmd,
      const pod::StreamOptions& opts) = 0;
  virtual absl::StatusOr<std::unique_ptr<pod::StreamSession>> Attach(
      const std::string& container_id, const pod::StreamOptions& opts) = 0;
  virtual absl::StatusOr<sys::UniqueFd> PortForward(const std::string& pod_id, uint16_t port) = 0;
};

std::shared_ptr<StreamRuntime> PodStreamRuntime(std::shared_ptr<pod::ContainerManager> containers,
                                                std::shared_ptr<pod::SandboxManager> sandboxes);

class StreamingServer {
 public:
  struct Options {
    std::string address = "127.0.0.1";
    int port = 0;  // 0: a free port
    std::string tls_cert, tls_key;
    std::chrono::seconds token_ttl{60};
    std::chrono::seconds idle_timeout{4 * 3600};
    std::chrono::seconds stream_creation_timeout{30};
    std::chrono::milliseconds linger{5000};
    size_t max_connections = 1024;
    // Connections that have not shown a valid token yet, per client address
    // and in all; over a cap the oldest is closed (unauth_limits.h). 0: no cap.
    size_t max_unauthenticated_per_client = 64;
    size_t max_unauthenticated = 256;
  };
  static Options FromConfig(const conf::Config::Streaming& c);

  // Listens at once (so the port is known); InvalidArgument for a bad
  // address or TLS files, the bind error otherwise.
  static absl::StatusOr<std::unique_ptr<StreamingServer>> Start(
      Options opts, std::shared_ptr<StreamRuntime> runtime);
  ~StreamingServer();

  // "http://127.0.0.1:34567/exec/<token>" (https with TLS).
  absl::StatusOr<std::string> GetExecUrl(const runtime::v1::ExecRequest& req);
  absl::StatusOr<std::string> GetAttachUrl(const runtime::v1::AttachRequest& req);
  absl::StatusOr<std::string> GetPortForwardUrl(const runtime::v1::PortForwardRequest& req);

  // "http://127.0.0.1:34567"
  std::string BaseUrl() const;
  int port() const;
  // Stops accepting, ends every session (exec'd processes are killed,
  // attaches detached) and waits for the connection threads.
  void Shutdown();

  struct State;

 private:
  explicit StreamingServer(std::shared_ptr<State> state) : state_(std::move(state)) {}
  std::shared_ptr<State> state_;
};

}  // namespace cricket::cri::streaming
