// Container ⇄ CRI conversion.
#include "cri/service/container_convert.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "cri/service/host_input_checks.h"
#include "oci/sys/status.h"
#include "pod/stop_signal.h"

namespace cricket::cri {

namespace v1 = ::runtime::v1;

absl::Status ValidateContainerRequest(const v1::CreateContainerRequest& req) {
  if (req.pod_sandbox_id().empty()) return absl::InvalidArgumentError("pod_sandbox_id is required");
  if (!req.config().has_metadata() || req.config().metadata().name().empty()) {
    return absl::InvalidArgumentError("container config: metadata.name is required");
  }
  if (req.config().image().image().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("container ", req.config().metadata().name(), ": image.image is required"));
  }
  RETURN_IF_ERROR(ValidateLogPath(req.config().log_path()));
  return absl::OkStatus();
}

v1::ContainerState ToCri(pod::ContainerState s) {
  switch (s) {
    case pod::ContainerState::kCreating:
    case pod::ContainerState::kCreated: return v1::CONTAINER_CREATED;
    case pod::ContainerState::kRunning: return v1::CONTAINER_RUNNING;
    case pod::ContainerState::kExited: return v1::CONTAINER_EXITED;
    default: return v1::CONTAINER_UNKNOWN;
  }
}

void FillContainer(const pod::Container& c, v1::Container* out) {
  out->set_id(c.id);
  out->set_pod_sandbox_id(c.pod_id);
  *out->mutable_metadata() = c.config.metadata();
  out->mutable_image()->set_image(c.image);
  out->set_image_ref(c.image_ref);
  out->set_image_id(c.image_id);
  out->set_state(ToCri(c.state()));
  out->set_created_at(c.created_at_ns);
  out->mutable_labels()->insert(c.labels.begin(), c.labels.end());
  out->mutable_annotations()->insert(c.annotations.begin(), c.annotations.end());
}

void FillContainerStatus(const pod::Container& c, v1::ContainerStatus* out) {
  out->set_id(c.id);
  *out->mutable_metadata() = c.config.metadata();
  out->set_state(ToCri(c.state()));
  out->set_created_at(c.created_at_ns);
  out->set_started_at(c.started_at_ns);
  out->set_finished_at(c.finished_at_ns);
  out->set_exit_code(c.exit_code);
  out->mutable_image()->set_image(c.image);
  out->set_image_ref(c.image_ref);
  out->set_image_id(c.image_id);
  out->set_reason(c.reason);
  out->set_message(c.message);
  out->mutable_labels()->insert(c.labels.begin(), c.labels.end());
  out->mutable_annotations()->insert(c.annotations.begin(), c.annotations.end());
  *out->mutable_mounts() = c.config.mounts();
  out->set_log_path(c.log_path);
  *out->mutable_resources()->mutable_linux() = c.config.linux().resources();
  // The identity init started with, as the spec gave it to the engine.
  if (c.uid >= 0) {
    v1::LinuxContainerUser* user = out->mutable_user()->mutable_linux();
    user->set_uid(c.uid);
    user->set_gid(c.gid);
    for (int64_t g : c.supplemental_groups) user->add_supplemental_groups(g);
  }
  out->set_stop_signal(pod::CriSignal(pod::EffectiveStopSignal(c.stop_signal)));
}

pod::ContainerFilter FromCri(const v1::ContainerFilter& f) {
  pod::ContainerFilter out;
  out.id_prefix = f.id();
  out.pod_id_prefix = f.pod_sandbox_id();
  if (f.has_state()) {
    switch (f.state().state()) {
      case v1::CONTAINER_CREATED: out.state = pod::ContainerState::kCreated; break;
      case v1::CONTAINER_RUNNING: out.state = pod::ContainerState::kRunning; break;
      case v1::CONTAINER_EXITED: out.state = pod::ContainerState::kExited; break;
      default: out.state = pod::ContainerState::kUnknown; break;
    }
  }
  out.labels = {f.label_selector().begin(), f.label_selector().end()};
  return out;
}

}  // namespace cricket::cri
