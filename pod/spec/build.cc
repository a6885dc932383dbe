// The order of the builders matters: security reads the process the
// process step made, and devices (in mounts) add to linux.resources.
#include "pod/spec/build.h"

#include "oci/sys/status.h"
#include "pod/spec/builders.h"

namespace cricket::pod::spec {

nlohmann::json Annotations(const Inputs& in) {
  nlohmann::json a = nlohmann::json::object();
  for (const auto& [k, v] : in.config->annotations()) a[k] = v;
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
  out.spec = {{"ociVersion", "1.1.0"}, {"linux", nlohmann::json::object()}};
  for (auto step : {ApplyProcess, ApplySecurity, ApplyMounts, ApplyNamespaces, ApplyResources}) {
    RETURN_IF_ERROR(sys::Annotate(step(in, out), "container %s", in.config->metadata().name()));
  }
  out.spec["annotations"] = Annotations(in);
  return out;
}

}  // namespace cricket::pod::spec
