// The streaming server's runtime backed by the pod layer. The ids come from
// requests the Exec/Attach/PortForward handlers stored after resolving them,
// so they are full ids.
#include "cri/streaming/server.h"
#include "pod/container_manager.h"
#include "pod/sandbox_manager.h"

namespace cricket::cri::streaming {
namespace {

class PodRuntime : public StreamRuntime {
 public:
  PodRuntime(std::shared_ptr<pod::ContainerManager> c, std::shared_ptr<pod::SandboxManager> s)
      : containers_(std::move(c)), sandboxes_(std::move(s)) {}

  absl::StatusOr<std::unique_ptr<pod::StreamSession>> Exec(
      const std::string& id, const std::vector<std::string>& cmd,
      const pod::StreamOptions& opts) override {
    return containers_->ExecStream(pod::ContainerId(id), cmd, opts);
  }
  absl::StatusOr<std::unique_ptr<pod::StreamSession>> Attach(
      const std::string& id, const pod::StreamOptions& opts) override {
    return containers_->Attach(pod::ContainerId(id), opts);
  }
  absl::StatusOr<sys::UniqueFd> PortForward(const std::string& pod_id, uint16_t port) override {
    return sandboxes_->PortForwardConnect(pod::PodId(pod_id), port);
  }

 private:
  std::shared_ptr<pod::ContainerManager> containers_;
  std::shared_ptr<pod::SandboxManager> sandboxes_;
};

}  // namespace

std::shared_ptr<StreamRuntime> PodStreamRuntime(std::shared_ptr<pod::ContainerManager> containers,
                                                std::shared_ptr<pod::SandboxManager> sandboxes) {
  return std::make_shared<PodRuntime>(std::move(containers), std::move(sandboxes));
}

}  // namespace cricket::cri::streaming
