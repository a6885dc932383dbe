// Namespaces per the CRI NamespaceOption: POD joins the pod's pinned
// namespace, NODE uses the host's, CONTAINER makes a new one, TARGET joins
// another container's pid namespace. Mount (and cgroup) are always new.
#include "absl/strings/str_cat.h"
#include "oci/sys/status.h"
#include "pod/spec/builders.h"
#include "pod/userns.h"

namespace cricket::pod::spec {
namespace {

using runtime::v1::NamespaceMode;

oci::Namespace Ns(const std::string& type, const std::string& path = "") {
  return oci::Namespace{.type = type, .path = path};
}

}  // namespace

absl::Status ApplyNamespaces(const Inputs& in, Output& out) {
  const auto& opts = in.config->linux().security_context().namespace_options();
  const auto& sb = in.sandbox;
  std::vector<oci::Namespace> ns = {Ns("mount")};
  // The pod's host network or IPC governs whatever the container's own
  // options say: crictl and the kubelet leave those at POD for such pods.
  const bool host_net = sb.host_network || opts.network() == NamespaceMode::NODE;
  const bool host_ipc = sb.host_ipc || opts.ipc() == NamespaceMode::NODE;
  if (!host_net) {
    if (sb.netns_path.empty()) {
      return absl::FailedPreconditionError(absl::StrCat("pod ", sb.id, " has no network namespace"));
    }
    ns.push_back(Ns("network", sb.netns_path));
  }
  if (!host_ipc) ns.push_back(sb.ipc_ns_path.empty() ? Ns("ipc") : Ns("ipc", sb.ipc_ns_path));
  // UTS follows the network: host-network pods see the node's hostname.
  if (!host_net) ns.push_back(sb.uts_ns_path.empty() ? Ns("uts") : Ns("uts", sb.uts_ns_path));
  switch (opts.pid()) {
    case NamespaceMode::NODE: break;
    case NamespaceMode::POD:
      if (sb.pid_ns_path.empty()) {
        return absl::FailedPreconditionError(
            absl::StrCat("pod ", sb.id, " does not share a pid namespace"));
      }
      ns.push_back(Ns("pid", sb.pid_ns_path));
      break;
    case NamespaceMode::TARGET: {
      if (!in.host.target_pid_ns) return absl::InternalError("no target lookup");
      auto path = in.host.target_pid_ns(opts.target_id());
      if (!path.ok()) {
        return absl::Status(path.status().code(), absl::StrCat("pid namespace target ", opts.target_id(),
                                                               ": ", path.status().message()));
      }
      ns.push_back(Ns("pid", *path));
      break;
    }
    default: ns.push_back(Ns("pid")); break;
  }
  // The pod's user namespace, joined by path: the engine then takes no id
  // maps (the namespace has them) and joins it after setting up the rootfs.
  if (in.sandbox_config != nullptr) {
    RETURN_IF_ERROR(CheckContainerUserns(
        in.sandbox_config->linux().security_context().namespace_options(), opts));
  }
  if (!sb.userns_path.empty()) ns.push_back(Ns("user", sb.userns_path));
  ns.push_back(Ns("cgroup"));
  oci::Linux& l = LinuxOf(out);
  l.namespaces = std::move(ns);
  if (!in.sandbox.sysctls.empty()) l.sysctl = in.sandbox.sysctls;
  return absl::OkStatus();
}

}  // namespace cricket::pod::spec
