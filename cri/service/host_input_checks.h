// Checks of CRI fields whose values end up in host paths or in a plugin's
// environment: a hostile or buggy client must not write a log file outside
// the pod's log directory, nor add arguments to CNI_ARGS.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "cri/api/api.h"

namespace cricket::cri {

// ContainerConfig.log_path is relative to PodSandboxConfig.log_directory:
// no absolute path, no ".." component (InvalidArgument naming the field).
absl::Status ValidateLogPath(const std::string& log_path);

// Pod name, namespace and uid go into CNI_ARGS as "K8S_POD_NAME=<name>;...":
// only letters, digits, '.', '-' and '_' (what Kubernetes names and UIDs are
// made of), at most 253 characters; so no ';' or '=' can add an argument.
absl::Status ValidatePodIdentity(const runtime::v1::PodSandboxMetadata& metadata);

}  // namespace cricket::cri
