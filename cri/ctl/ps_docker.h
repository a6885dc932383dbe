// `cricketctl ps --docker`: the columns `docker ps` users look for
// (CONTAINER ID, IMAGE, COMMAND, CREATED, STATUS, NAMES), from each
// container's status; COMMAND from the verbose status's runtime spec when the
// runtime gives one (cricketd and containerd do), else empty. CRI reports no
// port mappings in any status, so there is no PORTS column.
#pragma once

#include <vector>

#include "absl/status/status.h"
#include "cri/ctl/command.h"
#include "cri/ctl/flags.h"

namespace cricket::cri::ctl {

absl::Status PrintDockerPs(client::Client& c, const std::vector<v1::Container>& cts,
                           const Flags& f);

}  // namespace cricket::cri::ctl
