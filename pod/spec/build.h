// Builds a container's OCI runtime spec from the CRI request, the pod, the
// image and the node defaults. Pure: host lookups come in through Inputs.
#pragma once

#include "absl/status/statusor.h"
#include "pod/spec/inputs.h"

namespace cricket::pod::spec {

absl::StatusOr<Output> Build(const Inputs& in);

// The annotations the peers set, so tools that read them work on cricket too.
std::map<std::string, std::string> Annotations(const Inputs& in);

}  // namespace cricket::pod::spec
