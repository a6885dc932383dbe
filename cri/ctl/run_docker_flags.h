// The docker-style flags of `run` and `create` that set CRI fields beyond
// the image, command, env, mounts and ports (cmd_run.cc does those): -u,
// --memory, --cpus, --privileged, --cgroup-parent, --label.
#pragma once

#include <string_view>

#include "absl/status/status.h"
#include "cri/ctl/command.h"
#include "cri/ctl/flags.h"

namespace cricket::cri::ctl {

// Sets what the flags in `f` say over `pod` and `ctr` (which may come from
// config files); InvalidArgument naming the flag for a bad value.
absl::Status ApplyDockerFlags(std::string_view command, const Flags& f, v1::PodSandboxConfig& pod,
                              v1::ContainerConfig& ctr);

}  // namespace cricket::cri::ctl
