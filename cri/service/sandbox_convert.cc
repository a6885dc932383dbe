// Sandbox ⇄ CRI message conversion and request validation.
#include "cri/service/sandbox_convert.h"

#include "absl/strings/str_cat.h"
#include "cri/service/host_input_checks.h"

namespace cricket::cri {

absl::Status ValidateSandboxConfig(const runtime::v1::PodSandboxConfig& config) {
  if (!config.has_metadata()) return absl::InvalidArgumentError("pod sandbox config: metadata is required");
  const auto& m = config.metadata();
  for (const auto& [field, value] : {std::pair<const char*, const std::string*>{"name", &m.name()},
                                     {"namespace", &m.namespace_()}, {"uid", &m.uid()}}) {
    if (value->empty()) {
      return absl::InvalidArgumentError(absl::StrCat("pod sandbox config: metadata.", field, " is required"));
    }
  }
  if (m.name().find('/') != std::string::npos || m.namespace_().find('/') != std::string::npos) {
    return absl::InvalidArgumentError("pod sandbox config: metadata name and namespace may not contain '/'");
  }
  // The CRI: a group without a user is an error (the pod's infra process has
  // no image whose user could stand in).
  const auto& sc = config.linux().security_context();
  if (sc.has_run_as_group() && !sc.has_run_as_user()) {
    return absl::InvalidArgumentError(
        "pod sandbox config: linux.security_context.run_as_group is set without run_as_user");
  }
  return ValidatePodIdentity(m);
}

runtime::v1::PodSandboxState ToCri(pod::SandboxState s) {
  return s == pod::SandboxState::kReady ? runtime::v1::SANDBOX_READY : runtime::v1::SANDBOX_NOTREADY;
}

void FillSandbox(const pod::Sandbox& sb, runtime::v1::PodSandbox* out) {
  out->set_id(sb.id);
  *out->mutable_metadata() = sb.config.metadata();
  out->set_state(ToCri(sb.state()));
  out->set_created_at(sb.created_at_ns);
  *out->mutable_labels() = sb.config.labels();
  *out->mutable_annotations() = sb.config.annotations();
  out->set_runtime_handler(sb.runtime_handler);
}

void FillSandboxStatus(const pod::Sandbox& sb, runtime::v1::PodSandboxStatus* out) {
  out->set_id(sb.id);
  *out->mutable_metadata() = sb.config.metadata();
  out->set_state(ToCri(sb.state()));
  out->set_created_at(sb.created_at_ns);
  out->mutable_network()->set_ip(sb.ip);
  for (const auto& ip : sb.additional_ips) out->mutable_network()->add_additional_ips()->set_ip(ip);
  *out->mutable_linux()->mutable_namespaces()->mutable_options() =
      sb.config.linux().security_context().namespace_options();
  *out->mutable_labels() = sb.config.labels();
  *out->mutable_annotations() = sb.config.annotations();
  out->set_runtime_handler(sb.runtime_handler);
}

pod::SandboxFilter FromCri(const runtime::v1::PodSandboxFilter& f) {
  pod::SandboxFilter out;
  out.id_prefix = f.id();
  if (f.has_state()) {
    out.state = f.state().state() == runtime::v1::SANDBOX_READY ? pod::SandboxState::kReady
                                                                : pod::SandboxState::kNotReady;
  }
  out.labels = {f.label_selector().begin(), f.label_selector().end()};
  return out;
}

}  // namespace cricket::cri
