// `cricketctl completion bash`: a hidden command that prints the bash
// completion script made from the command table (commands.cc), the flag
// tables (cmd_flags.cc) and the global flags (GlobalFlags), so it cannot
// drift from what cricketctl parses. The build installs its output.
#pragma once

#include <string>
#include <vector>

#include "cri/ctl/flags.h"

namespace cricket::cri::ctl {

// The flags taken before the command (-r, --timeout, ...), as main parses them.
const std::vector<FlagDef>& GlobalFlags();

// Prints the script for args == {"bash"}; 0, or 2 with a usage error.
int RunCompletion(const std::vector<std::string>& args);

}  // namespace cricket::cri::ctl
