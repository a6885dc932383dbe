// PortRelay: connect inside the pod, then copy both ways until the pod side ends.
#include "cri/streaming/port_relay.h"

#include <sys/socket.h>

#include "absl/strings/str_cat.h"
#include "oci/sys/log.h"

namespace cricket::cri::streaming {

PortRelay::PortRelay(std::string pod_id, uint16_t port, PortConnector connect, Callbacks cb)
    : pod_id_(std::move(pod_id)),
      port_(port),
      connect_(std::move(connect)),
      cb_(std::move(cb)),
      to_pod_(nullptr, [this] {
        std::lock_guard<std::mutex> lock(mu_);
        if (fd_) ::shutdown(fd_.get(), SHUT_WR);
      }) {}

PortRelay::~PortRelay() { Stop(); }

void PortRelay::Start() {
  thread_ = std::thread([this] { Run(); });
}

void PortRelay::ToPod(std::string_view data) { to_pod_.Push(data); }

void PortRelay::CloseToPod() { to_pod_.CloseInput(); }

void PortRelay::Stop() {
  to_pod_.Stop();
  if (thread_.joinable()) thread_.join();
  std::unique_ptr<FdReader> reader;
  {
    std::lock_guard<std::mutex> lock(mu_);
    reader = std::move(from_pod_);
  }
  reader.reset();  // stops and joins
}

void PortRelay::Run() {
  auto fd = connect_(port_);
  if (!fd.ok()) {
    // The kubelet's wording (pod uid is not known to a CRI runtime).
    std::string msg = absl::StrCat("error forwarding port ", port_, " to pod ", pod_id_,
                                   ", uid : ", std::string(fd.status().message()));
    sys::LogWarn("port forward failed", {{"pod", pod_id_}, {"error", msg}});
    to_pod_.Stop();  // nothing will write: never let ToPod block
    cb_.error(msg);
    cb_.done();
    return;
  }
  int raw = fd->get();
  {
    std::lock_guard<std::mutex> lock(mu_);
    fd_ = std::move(*fd);
    from_pod_ = std::make_unique<FdReader>(raw, cb_.to_client, cb_.done);
  }
  to_pod_.Start(raw);
}

}  // namespace cricket::cri::streaming
