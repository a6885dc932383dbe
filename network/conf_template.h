// The pod CIDR the kubelet sends in UpdateRuntimeConfig, made available to
// CNI as containerd does: a conflist template (config `cni.conf_template`)
// rendered into the CNI conf dir, which the network layer picks up.
#pragma once

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace cricket::network {

// The file the rendered template is written to, in the conf dir. Its name
// sorts first so that it is the config the network layer loads.
inline constexpr char kTemplatedConfName[] = "10-cricket-net.conflist";

// Replaces the placeholders in `tmpl` for `pod_cidr` (the kubelet's field:
// one CIDR, or two comma-separated for dual stack):
//   {{.PodCIDR}}        the first CIDR
//   {{.PodCIDRRanges}}  every CIDR as host-local range sets, comma-separated:
//                       [{"subnet": "10.1.0.0/24"}], [{"subnet": "fd00::/64"}]
// Any other {{...}} is an error naming it, as is a CIDR that is not one.
absl::StatusOr<std::string> RenderConfTemplate(std::string_view tmpl, std::string_view pod_cidr);

// Reads `template_path`, renders it and writes <conf_dir>/kTemplatedConfName
// atomically (mode 0644). The result must parse as JSON.
absl::Status WriteTemplatedConf(const std::string& template_path, const std::string& conf_dir,
                                std::string_view pod_cidr);

}  // namespace cricket::network
