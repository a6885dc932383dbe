// cgroup stats of a container → the CRI ContainerStats message.
#pragma once

#include "cri/api/api.h"
#include "oci/cgroup/stats.h"
#include "pod/container.h"

namespace cricket::cri {

void FillContainerStats(const pod::Container& c, const oci::cgroup::Stats& s, int64_t now_ns,
                        runtime::v1::ContainerStats* out);

}  // namespace cricket::cri
