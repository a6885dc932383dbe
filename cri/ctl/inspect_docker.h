// `cricketctl inspect --docker`: containers as `docker inspect` prints them
// (client/docker_inspect.h), one JSON array for all, as docker does; with
// -o go-template the template runs once per container (docker's -f).
#pragma once

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "cri/ctl/command.h"
#include "cri/ctl/output.h"

namespace cricket::cri::ctl {

absl::Status PrintDockerInspect(client::Client& c, const std::vector<std::string>& prefixes,
                                const OutputOptions& out);

}  // namespace cricket::cri::ctl
