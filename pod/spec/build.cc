// The order of the builders matters: security reads the process the
// process step made, devices (in mounts) add to linux.resources, and CDI
// edits go last, over what the CRI config asked for.
#include "pod/spec/build.h"

#include "oci/sys/status.h"
#include "pod/spec/builders.h"

namespace cricket::pod::spec {

std::map<std::string, std::string> Annotations(const Inputs& in) {
  std::map<std::string, std::string> a(in.config->annotations().begin(),
                                       in.config->annotations().end());
  a["io.kubernetes.cri.container-type"] = "container";
  a["io.kubernetes.cri.container-name"] = in.config->metadata().name();
  a["io.kubernetes.cri.sandbox-id"] = in.sandbox.id;
  a["io.kubernetes.cri.sandbox-name"] = in.sandbox.name;
  a["io.kubernetes.cri.sandbox-namespace"] = in.sandbox.namespace_;
  a["io.kubernetes.cri.sandbox-uid"] = in.sandbox.uid;
  a["io.kubernetes.cri.image-name"] = in.image_name;
  return a;
}

absl::StatusOr<Output> Build(const Inputs& in) {
  if (in.config == nullptr) return absl::InvalidArgumentError("no container config");
  Output out;
  out.spec.oci_version = "1.1.0";
  out.spec.linux_spec.emplace();
  for (auto step : {ApplyProcess, ApplySecurity, ApplyMounts, ApplyNamespaces, ApplyResources,
                    ApplyCdi}) {
    RETURN_IF_ERROR(sys::Annotate(step(in, out), "container %s", in.config->metadata().name()));
  }
  out.spec.annotations = Annotations(in);
  return out;
}

}  // namespace cricket::pod::spec
