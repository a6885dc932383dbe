// `cricketctl inspect --docker`: a container in the shape `docker inspect`
// prints (Id, Created, Path/Args, State, Image, Name, Mounts, Config,
// HostConfig, NetworkSettings), from CRI's verbose ContainerStatus and its
// pod's PodSandboxStatus. Fields CRI does not report are left out, not
// invented; Path, Args, Env, WorkingDir and State.Pid come from the verbose
// info's runtime spec and pid (cricketd, containerd and CRI-O give them).
#pragma once

#include "cri/api/api.h"
#include "nlohmann/json.hpp"

namespace cricket::cri::client {

// `pod` may be null (the pod is gone or the runtime would not say).
nlohmann::json DockerInspect(const ::runtime::v1::ContainerStatusResponse& ct,
                             const ::runtime::v1::PodSandboxStatusResponse* pod);

// Unix ns → RFC 3339 with nanoseconds in UTC, as docker prints times; 0 →
// Go's zero time "0001-01-01T00:00:00Z", as docker prints an unset one.
std::string DockerTime(int64_t unix_nanos);

}  // namespace cricket::cri::client
