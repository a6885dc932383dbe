#include "cri/service/runtime_features.h"

#include "pod/host_features.h"

namespace cricket::cri {

std::vector<RuntimeHandlerInfo> ConfiguredRuntimeHandlers(const conf::Config& config) {
  RuntimeHandlerInfo builtin;
  builtin.name = "";
  // The built-in engine applies "rro" with mount_setattr(AT_RECURSIVE).
  builtin.recursive_read_only_mounts = pod::RecursiveReadOnlyMountsWork();
  // Pods with userns_options get a pinned user namespace, id-mapped rootfs
  // layers and volumes (pod/sandbox_userns.cc); id-mapped mounts need 5.12+.
  builtin.user_namespaces = pod::IdMappedMountsWork();
  std::vector<RuntimeHandlerInfo> out = {builtin};
  // External runc-compatible runtimes (RuntimeClass handlers): whether such a
  // binary applies "rro" or id-mapped mounts is not known here (runc < 1.2
  // does not), so neither is claimed.
  for (const auto& [name, handler] : config.runtime_handlers) {
    RuntimeHandlerInfo h;
    h.name = name;
    out.push_back(h);
  }
  return out;
}

void FillRuntimeFeatures(const conf::Config& config, runtime::v1::StatusResponse* resp) {
  for (const RuntimeHandlerInfo& h : ConfiguredRuntimeHandlers(config)) {
    runtime::v1::RuntimeHandler* out = resp->add_runtime_handlers();
    out->set_name(h.name);
    out->mutable_features()->set_recursive_read_only_mounts(h.recursive_read_only_mounts);
    out->mutable_features()->set_user_namespaces(h.user_namespaces);
  }
  runtime::v1::RuntimeFeatures* f = resp->mutable_features();
  // Strict drops the image's /etc/group memberships (pod/spec/user), and
  // ContainerStatus.user reports the groups the container started with.
  f->set_supplemental_groups_policy(true);
  // Needs user namespaces first.
  f->set_user_namespaces_host_network(false);
}

}  // namespace cricket::cri
